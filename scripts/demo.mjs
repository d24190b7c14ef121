// `npm run demo`: the story so far on embedded defaults, in a scratch copy of examples/demo.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist', 'main.js');
const work = mkdtempSync(join(tmpdir(), 'opsbook-demo-'));
cpSync(join(root, 'examples', 'demo'), work, {
  recursive: true,
  filter: (src) => !/[/\\](\.data|\.opsbook|node_modules)([/\\]|$)/.test(src),
});
const env = { ...process.env, FORCE_COLOR: process.stdout.isTTY ? '1' : '0' };

function step(title, args, { expectFail = false } = {}) {
  console.log(`\n\x1b[1m━━ ${title}\x1b[0m\n$ opsbook ${args.join(' ')}`);
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: work, stdio: 'inherit', env });
  if ((r.status !== 0) !== expectFail) {
    console.error(`demo: 'opsbook ${args.join(' ')}' exited ${r.status}`);
    process.exit(1);
  }
}

try {
  console.log(`opsbook demo in ${work} (a copy of examples/demo)`);
  step('The demo stack as written: validate it', ['validate']);
  step('The architecture table of the runbook, from the config', ['status']);
  rmSync(join(work, 'opsbook.yaml'));
  step('Start from nothing: opsbook init reads the repository and writes a starter config', ['init']);
  step('The generated config validates', ['validate']);
  step('Mistakes are reported all at once, with line, column and a fix', ['validate', join(root, 'test', 'fixtures', 'broken.opsbook.yaml')], {
    expectFail: true,
  });
  console.log('\n\x1b[1mdone.\x1b[0m Next: `opsbook --help` lists every command.');
} finally {
  rmSync(work, { recursive: true, force: true });
}
