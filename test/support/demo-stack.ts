/** A scratch copy of examples/demo as its own git repository, on a free port: what the e2e deploy tests run against. */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

export async function createDemoStack(
  patch: (yaml: string) => string = (y) => y,
): Promise<{ dir: string; port: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'opsbook-e2e-demo-'));
  cpSync(join(repoRoot, 'examples', 'demo'), dir, {
    recursive: true,
    filter: (p) => !/\.data|\.opsbook|\.test\.ts$/.test(p),
  });
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const port = await freePort();
  const yaml = readFileSync(join(dir, 'opsbook.yaml'), 'utf8').replaceAll('8080', String(port));
  writeFileSync(join(dir, 'opsbook.yaml'), patch(yaml));
  writeFileSync(join(dir, '.gitignore'), '.opsbook/\n.data/\nnode_modules\n');
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.email=e2e@example.com', '-c', 'user.name=e2e', ...args], {
      cwd: dir,
      stdio: 'ignore',
    });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-qm', 'v1');
  return { dir, port };
}
