// The pre-push hook through the built CLI and a real `git push` to a local bare remote.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const GIT = ['-c', 'user.email=e2e@example.com', '-c', 'user.name=e2e'];
function repo(trigger = 'push') {
  const base = mkdtempSync(join(tmpdir(), 'opsbook-e2e-hook-'));
  dirs.push(base);
  const dir = join(base, 'app');
  const remote = join(base, 'remote.git');
  execFileSync('git', ['init', '-q', '--bare', remote]);
  execFileSync('git', ['init', '-q', '-b', 'main', dir]);
  writeFileSync(
    join(dir, 'opsbook.yaml'),
    `name: shop
environments:
  production: { protected: true }
  staging: { branch: develop }
services:
  api: { kind: web, provider: { type: command, deploy: "true" } }
deploy: { trigger: ${trigger} }
gates:
  - { id: ready, name: The release is marked ready, run: test -f READY }
`,
  );
  writeFileSync(join(dir, '.gitignore'), '.opsbook/\nREADY\n');
  const git = (...args: string[]) => execFileSync('git', [...GIT, ...args], { cwd: dir, stdio: 'pipe' });
  git('add', '-A');
  git('commit', '-qm', 'init');
  git('remote', 'add', 'origin', remote);
  return { dir, git };
}
const push = (dir: string, ...args: string[]) =>
  spawnSync('git', [...GIT, 'push', 'origin', ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });

describe('opsbook hook', () => {
  it('runs the gates of the environment the branch deploys before the push, and refuses it when one fails', async () => {
    const { dir, git } = repo();
    const install = await runCli(['hook', 'install'], dir, process.env);
    expect(install.code, install.stderr).toBe(0);
    const refused = push(dir, 'main');
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('main deploys production on push');
    expect(refused.stderr).toContain('push refused');
    expect(refused.stderr).toContain('1 of 1 gate failed');

    writeFileSync(join(dir, 'READY'), '');
    const pushed = push(dir, 'main');
    expect(pushed.status, pushed.stderr).toBe(0);
    expect(pushed.stderr + pushed.stdout, pushed.stderr).toContain('gates passed');

    // A branch that deploys nothing is pushed without running gates.
    rmSync(join(dir, 'READY'));
    git('checkout', '-qb', 'feature');
    const feature = push(dir, 'feature');
    expect(feature.status, feature.stderr).toBe(0);
    expect(feature.stderr).toContain('deploys nothing');
  });

  it('is idempotent, respects core.hooksPath, leaves a foreign hook alone without --force, and uninstalls only its own', async () => {
    const { dir, git } = repo();
    git('config', 'core.hooksPath', '.githooks');
    const first = await runCli(['hook', 'install', '--json'], dir, process.env);
    expect(JSON.parse(first.stdout).data).toMatchObject({ changed: true, before: 'absent' });
    const hook = join(dir, '.githooks', 'pre-push');
    expect(readFileSync(hook, 'utf8')).toContain('opsbook pre-push hook');
    expect(existsSync(join(dir, '.git', 'hooks', 'pre-push'))).toBe(false);
    const again = await runCli(['hook', 'install', '--json'], dir, process.env);
    expect(JSON.parse(again.stdout).data).toMatchObject({ changed: false, before: 'installed' });
    expect((await runCli(['hook', 'status'], dir, process.env)).stdout).toContain(': installed');

    writeFileSync(hook, '#!/bin/sh\necho team hook\n');
    const foreign = await runCli(['hook', 'install'], dir, process.env);
    expect(foreign.code).not.toBe(0);
    expect(foreign.stderr).toContain('opsbook did not write');
    expect((await runCli(['hook', 'uninstall'], dir, process.env)).code).not.toBe(0);
    expect(readFileSync(hook, 'utf8')).toContain('team hook');
    expect((await runCli(['hook', 'install', '--force'], dir, process.env)).code).toBe(0);
    expect((await runCli(['hook', 'uninstall'], dir, process.env)).code).toBe(0);
    expect(existsSync(hook)).toBe(false);
  });
});
