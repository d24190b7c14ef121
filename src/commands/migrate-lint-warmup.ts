/** `migrate lint` is over in about a second, so its start-up counts: what can overlap the config load starts first. */
import { createRequire } from 'node:module';
import { parserModule } from '../migrations/pg-parser.js';
import { setV8Flags } from '../vendor/index.js';

const require = createRequire(import.meta.url);
/**
 * What every lint loads after its flags, seen in `process.moduleLoadList` for a lint of one file. Spread: an ES
 * module's import of a Node module reads all its exports, which loads the ones Node defines lazily (util's parseArgs
 * and MIMEType, crypto's webcrypto).
 */
const NODE_MODULES_A_LINT_LOADS = [
  'node:fs/promises',
  'node:os',
  'node:worker_threads',
  'node:crypto',
  'node:child_process',
  'node:util',
  'node:readline',
  'node:readline/promises',
  'node:buffer',
  'node:timers/promises',
];

/**
 * Sets a lint's V8 flags and starts compiling the parser. main.ts calls it as soon as it sees `migrate lint`, before
 * the rest of the CLI loads: the compile (its eager functions included, pg-parser.ts) runs on V8's background threads
 * while this thread loads the CLI and the config, ~100 ms earlier than when the command runs. Calling it again is
 * harmless: the modules are loaded, the flags set and the compile started once.
 */
export function startLintParser(): void {
  // A lint is over in about a second: V8's default tier-up compiles the rules and the JSON walks with TurboFan
  // long before that compile pays back (1,000 files: a quarter of the CPU time; 10,000 files: the same time).
  // Eight times the default budget leaves that to what stays hot. Process-wide, so the lint workers get it too.
  // The parser's flags too (pg-parser.ts), now rather than when it compiles: the config is read under one set of
  // flags, the one the build wrote the code caches of dist/vendor/ for (src/vendor/). A flag set at run time also
  // makes V8 refuse Node's own code cache, so the Node modules a lint goes on to load are loaded first (~15 ms less
  // compiling for a lint of one file).
  for (const name of NODE_MODULES_A_LINT_LOADS) ({ ...require(name) });
  setV8Flags('--interrupt-budget=540672');
  // A failure is not lost: it surfaces where the lint awaits the parser.
  parserModule().catch(() => {});
}

export function warmUpLint(paths: string[], cwd: string): void {
  startLintParser();
  import('../migrations/parse-sql.js').then((m) => m.loadParser()).catch(() => {});
  // Named folders of many files: the lint workers start now, overlapping the config and the listing.
  import('../migrations/lint/threads.js').then((m) => m.prestartLintWorkers(paths, cwd)).catch(() => {});
}
