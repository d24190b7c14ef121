// Writes the V8 code caches of dist/vendor/ (src/vendor/index.ts): the built CLI validates each example config, and a
// config with mistakes, with the parse cache off, and saves what V8 compiled for yaml, zod and the schema's zod
// objects. Each run loads the cache the previous one wrote, so the last holds what all of them compiled. A lint reads
// the config under other V8 flags, which have caches of their own.
// A Node other than this one rejects the caches and compiles as without them.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist', 'main.js');
const examples = join(root, 'examples');

const scratch = mkdtempSync(join(tmpdir(), 'opsbook-code-cache-'));
// A config with a typo, a wrong type and a bad duration: the diagnostic paths (zod's issues, YAML positions).
const mistakes = join(scratch, 'mistakes');
cpSync(join(examples, 'demo', 'opsbook.yaml'), join(mistakes, 'opsbook.yaml'), { recursive: true });
writeFileSync(
  join(mistakes, 'opsbook.yaml'),
  'version: 1\nname: mistakes\nservices:\n  api:\n    kind: web\n    platfrom: render\n    port: "eighty"\n    health:\n      path: /health\n      timeout: 5 parsecs\n',
);

const dirs = [
  ...readdirSync(examples, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(examples, e.name, 'opsbook.yaml')))
    .map((e) => join(examples, e.name)),
  mistakes,
];

const run = (cwd, mode, command = ['validate']) =>
  spawnSync(process.execPath, [cli, ...command], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, OPSBOOK_NO_CACHE: '1', OPSBOOK_VENDOR_CACHE: mode },
  });

try {
  // validate reads the config under V8's default flags; `migrate lint` under the flags it sets (src/vendor/).
  const lint = ['migrate', 'lint', 'migrations'];
  const runs = [...dirs.map((dir) => [dir]), [join(examples, 'demo'), lint]];
  for (const [dir, command] of runs) {
    const r = run(dir, 'write', command);
    if (!/^opsbook-vendor-cache /m.test(r.stderr)) {
      console.error(`code cache: validate in ${dir} did not finish:\n${r.stderr}`);
      process.exit(1);
    }
  }
  // The caches must be taken by the Node that wrote them; a rejected one is only slower, so this warns.
  // validate loads yaml and zod; a lint also the parser's glue (dist/vendor/libpg-query/).
  for (const [command, files] of [
    [['validate'], 2],
    [lint, 3],
  ]) {
    const report = run(join(examples, 'demo'), 'report', command).stderr.match(
      /^opsbook-vendor-cache (.*)$/m,
    )?.[1];
    const use = report ? Object.values(JSON.parse(report)) : [];
    if (use.length !== files || use.some((u) => u !== 'used'))
      console.error(
        `warning: ${command.join(' ')} does not use the code caches of dist/vendor/: ${report ?? 'no report'}`,
      );
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
