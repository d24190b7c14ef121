// Writes dist/vendor/libpg-query/: the installed libpg-query's glue and its WASM with compilation hints
// (src/migrations/wasm-hints.ts) for the functions a lint calls. Which those are is what V8 compiles on first call
// while the built CLI lints the lint corpus, before this copy exists (so from the package's WASM, all lazy), as
// `--trace-wasm-compilation-times` prints it. Run before the code caches: they are written by lints that use it.
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HINTED_WASM } from '../dist/migrations/pg-parser.js';
import { withCompilationHints } from '../dist/migrations/wasm-hints.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'dist/vendor/libpg-query');
const corpus = join(root, 'test/lint-corpus/corpus');
const require = createRequire(import.meta.url);

rmSync(out, { recursive: true, force: true });
// Outside the repository: no opsbook.yaml is found, the files are linted as plain SQL.
const cwd = mkdtempSync(join(tmpdir(), 'opsbook-parser-hints-'));
// V8 prints the trace through C's stdio, which loses its tail when the reader is a pipe: a file keeps all of it.
const traceFile = join(cwd, 'trace.txt');
let run;
let trace;
try {
  const fd = openSync(traceFile, 'w');
  run = spawnSync(
    process.execPath,
    [
      '--trace-wasm-compilation-times',
      join(root, 'dist/main.js'),
      'migrate',
      'lint',
      '--json',
      ...['safe', 'unsafe', 'squawk-cases'].map((dir) => join(corpus, dir)),
    ],
    { cwd, encoding: 'utf8', stdio: ['ignore', fd, 'pipe'] },
  );
  closeSync(fd);
  trace = readFileSync(traceFile, 'utf8');
} finally {
  rmSync(cwd, { recursive: true, force: true });
}
const called = new Set(
  [...trace.matchAll(/^Compiled function \S+#(\d+) using Liftoff/gm)].map((m) => Number(m[1])),
);
// Exit 1: the unsafe files have findings.
if (called.size === 0 || (run.status !== 0 && run.status !== 1)) {
  console.error(
    `parser hints: the traced lint (exit ${run.status}) named no compiled function:\n${run.stderr.slice(-2000)}`,
  );
  process.exit(1);
}
const wasm = readFileSync(require.resolve('libpg-query/wasm/libpg-query.wasm'));
mkdirSync(out, { recursive: true });
// Named for this V8: the hints are experimental, and another V8 loads the package's own WASM (pg-parser.ts).
writeFileSync(join(out, HINTED_WASM), withCompilationHints(wasm, called));
// The package is an ES module scope: the glue, CommonJS, keeps its meaning as .cjs.
copyFileSync(require.resolve('libpg-query/wasm/libpg-query.js'), join(out, 'libpg-query.cjs'));
console.log(`parser hints: ${called.size} functions a lint calls compile eagerly (dist/vendor/libpg-query/)`);
