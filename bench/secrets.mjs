// Secret-scanner throughput on this repo's node_modules (a large tree), beside `npx secretlint` on the same files.
// Run with `npm run bench:secrets` (tsx: no build needed). RUNS=3 scans of ours; secretlint gets SECRETLINT_BUDGET_S
// seconds (default 180; 0 skips the attempt) on the full tree, and if it needs longer both are measured on a fixed subset.
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scanSecrets } from '../src/checks/secrets/index.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const RUNS = Number(process.env.RUNS ?? 3);
const BUDGET_MS = Number(process.env.SECRETLINT_BUDGET_S ?? 180) * 1000;
const MAX_BYTES = 5 * 1024 * 1024;
const MIB = 1024 * 1024;
/** The fallback subset: fixed packages of mixed JS/TS/JSON/markdown, about 1,400 files and 12 MiB of text. */
const SUBSET = ['zod', 'yaml', 'pg', 'pg-protocol', 'smol-toml', 'tsx', 'jiti', 'vitest', '@vitest'];

const mibps = (bytes, ms) => (bytes / MIB / (ms / 1000)).toFixed(1);

/** The files secretlint is given: text (no NUL in the first 8 KiB), at most 5 MiB, like ours; relative to node_modules. */
function textFiles(dir, rel = '') {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const name = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      // secretlint always ignores **/node_modules/**, so nested ones are left out of its list.
      if (entry.name !== 'node_modules' && entry.name !== '.git') out.push(...textFiles(path, name));
    } else if (entry.isFile()) {
      const size = statSync(path).size;
      if (size > MAX_BYTES) continue;
      const fd = openSync(path, 'r');
      const head = Buffer.alloc(Math.min(size, 8192));
      readSync(fd, head, 0, head.length, 0);
      closeSync(fd);
      if (!head.includes(0)) out.push({ name, size });
    }
  }
  return out;
}

async function measureOurs(paths) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    let bytes = 0;
    let files = 0;
    let findings = 0;
    let skipped = 0;
    let workers = 0;
    for (const path of paths) {
      const r = await scanSecrets({ cwd: root, path, gitignore: false });
      bytes += r.bytes;
      files += r.files;
      findings += r.findings.length;
      skipped += r.skipped.length;
      workers = Math.max(workers, r.workers);
    }
    runs.push({ ms: performance.now() - started, bytes, files, findings, skipped, workers });
  }
  runs.sort((a, b) => a.ms - b.ms);
  return { ...runs[Math.floor(runs.length / 2)], all: runs.map((r) => Math.round(r.ms)) };
}

function measureSecretlint(files) {
  const dir = mkdtempSync(join(tmpdir(), 'opsbook-bench-secretlint-'));
  try {
    writeFileSync(
      join(dir, '.secretlintrc.json'),
      JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }),
    );
    const output = join(dir, 'result.json');
    const args = [
      '--no-install',
      'secretlint',
      '--secretlintrc',
      join(dir, '.secretlintrc.json'),
      '--format',
      'json',
    ];
    args.push('--output', output, '--no-glob', ...files.map((f) => f.name));
    const started = performance.now();
    const run = spawnSync('npx', args, {
      cwd: join(root, 'node_modules'),
      timeout: BUDGET_MS,
      encoding: 'utf8',
      maxBuffer: 64 * MIB,
    });
    const ms = performance.now() - started;
    if (run.error?.code === 'ETIMEDOUT' || run.signal) return { timedOut: true, ms };
    if (run.status !== 0 && run.status !== 1)
      throw new Error(`secretlint exited ${run.status}: ${run.stderr.slice(0, 500)}`);
    const report = JSON.parse(readFileSync(output, 'utf8'));
    const findings = report.reduce((n, file) => n + file.messages.length, 0);
    return { timedOut: false, ms, findings, files: report.length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function print(label, ours, theirs, files) {
  const bytes = files.reduce((n, f) => n + f.size, 0);
  console.log(`\n${label}`);
  console.log(
    `  opsbook secrets scan  ${mibps(ours.bytes, ours.ms).padStart(7)} MiB/s  median ${Math.round(ours.ms)} ms of ${ours.all.join('/')} ms`,
  );
  console.log(
    `                        ${ours.files} files, ${(ours.bytes / MIB).toFixed(1)} MiB, ${ours.skipped} skipped (binary or > 5 MiB), ${ours.findings} findings, ${ours.workers || 'no'} worker threads`,
  );
  console.log(
    `  secretlint            ${mibps(bytes, theirs.ms).padStart(7)} MiB/s  ${Math.round(theirs.ms)} ms (includes npx start-up)`,
  );
  console.log(
    `                        ${files.length} files, ${(bytes / MIB).toFixed(1)} MiB, ${theirs.findings} findings (preset-recommend; no generic rule)`,
  );
  console.log(
    `  ratio                 ${(Number(mibps(ours.bytes, ours.ms)) / Number(mibps(bytes, theirs.ms))).toFixed(0)}x`,
  );
}

const all = textFiles(join(root, 'node_modules'));
console.log(
  `secret scanners on ${root}node_modules: ${all.length} text files, ${(all.reduce((n, f) => n + f.size, 0) / MIB).toFixed(1)} MiB for secretlint`,
);
console.log(
  `(secretlint never scans nested node_modules; ours does, so the two byte counts differ slightly and rates are per byte scanned)`,
);
const ours = await measureOurs(['node_modules']);
const theirs = BUDGET_MS > 0 ? measureSecretlint(all) : { timedOut: true, ms: 0 };
if (!theirs.timedOut) print('full tree', ours, theirs, all);
else {
  const why =
    BUDGET_MS > 0
      ? `did not finish the full tree within ${BUDGET_MS / 1000} s`
      : 'was not tried on the full tree';
  console.log(`\nsecretlint ${why}: measuring both on a fixed subset instead`);
  const subset = SUBSET.map((p) => `node_modules/${p}`);
  const files = SUBSET.flatMap((p) => textFiles(join(root, 'node_modules', p), p));
  const oursSubset = await measureOurs(subset);
  const theirsSubset = measureSecretlint(files);
  console.log(
    `opsbook on the full tree: ${mibps(ours.bytes, ours.ms)} MiB/s (${ours.files} files, ${(ours.bytes / MIB).toFixed(1)} MiB)`,
  );
  if (theirsSubset.timedOut) console.log('secretlint did not finish the subset either');
  else print(`subset: ${SUBSET.join(', ')}`, oursSubset, theirsSubset, files);
}
