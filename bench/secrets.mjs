// Secret-scanner throughput on this repo's node_modules (a large tree), beside `npx secretlint` on the same files.
// Run with `npm run bench:secrets` (tsx: no build needed). RUNS=3 scans of ours per setting; secretlint gets
// SECRETLINT_BUDGET_S seconds (default 180; 0 skips the attempt) on the full tree, and if it needs longer both are
// measured on a fixed subset instead.
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scanSecrets } from '../src/checks/secrets/index.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const RUNS = Number(process.env.RUNS ?? 3);
const BUDGET_MS = Number(process.env.SECRETLINT_BUDGET_S ?? 180) * 1000;
const MAX_BYTES = 5 * 1024 * 1024;
const MIB = 1024 * 1024;
/** The fallback subset: fixed packages of mixed JS/TS/JSON/markdown, about 1,400 files and 12 MiB of text. */
const SUBSET = ['zod', 'yaml', 'pg', 'pg-protocol', 'smol-toml', 'tsx', 'jiti', 'vitest', '@vitest'];
/** Our settings: the default (main thread, joined by workers when the scan runs long), one thread, two workers. */
const SETTINGS = [
  { label: 'default threads', workers: undefined },
  { label: 'main thread only', workers: 0 },
  { label: '2 worker threads', workers: 2 },
];

const mibps = (bytes, ms) => bytes / MIB / (ms / 1000);
const sumSize = (files) => files.reduce((n, f) => n + f.size, 0);

/** Text files (no NUL in the first 8 KiB) of at most 5 MiB under `dir`: exactly what our scanner reads there. */
function textFiles(dir, rel = '') {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const name = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (entry.name !== '.git') out.push(...textFiles(path, name));
    } else if (entry.isFile()) {
      const size = statSync(path).size;
      if (size > MAX_BYTES) continue;
      const fd = openSync(path, 'r');
      const head = Buffer.alloc(Math.min(size, 8192));
      readSync(fd, head, 0, head.length, 0);
      closeSync(fd);
      if (!head.includes(0)) out.push({ path, name, size });
    }
  }
  return out;
}

/**
 * npx cannot pass thousands of paths, and secretlint always ignores node_modules paths, so it scans a farm of symlinks
 * to the very files ours reads, nested node_modules renamed.
 */
function symlinkFarm(dir, files) {
  for (const file of files) {
    const link = join(dir, file.name.replaceAll('node_modules', 'node_modules_'));
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(file.path, link);
  }
}

async function measureOurs(paths, workers) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const run = { bytes: 0, files: 0, findings: 0, workers: 0 };
    for (const path of paths) {
      const r = await scanSecrets({ cwd: root, path, gitignore: false, workers });
      run.bytes += r.bytes;
      run.files += r.files;
      run.findings += r.findings.length;
      run.workers = Math.max(run.workers, r.workers);
    }
    runs.push({ ...run, ms: performance.now() - started });
  }
  runs.sort((a, b) => a.ms - b.ms);
  return { ...runs[Math.floor(runs.length / 2)], all: runs.map((r) => Math.round(r.ms)) };
}

function measureSecretlint(files) {
  const dir = mkdtempSync(join(tmpdir(), 'opsbook-bench-secretlint-'));
  try {
    const farm = join(dir, 'farm');
    symlinkFarm(farm, files);
    const rc = join(dir, '.secretlintrc.json');
    writeFileSync(rc, JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }));
    const output = join(dir, 'result.json');
    const args = ['--no-install', '--prefix', root, 'secretlint', '--secretlintrc', rc, '--format', 'json'];
    args.push('--output', output, '**/*');
    const started = performance.now();
    const run = spawnSync('npx', args, { cwd: farm, timeout: BUDGET_MS, encoding: 'utf8' });
    const ms = performance.now() - started;
    if (run.error?.code === 'ETIMEDOUT' || run.signal) return { timedOut: true, ms };
    if (run.status !== 0 && run.status !== 1)
      throw new Error(`secretlint exited ${run.status}: ${run.stderr.slice(0, 500)}`);
    const report = JSON.parse(readFileSync(output, 'utf8'));
    return {
      timedOut: false,
      ms,
      files: report.length,
      findings: report.reduce((n, f) => n + f.messages.length, 0),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function compare(label, paths, files, settings, secretlint) {
  const bytes = sumSize(files);
  console.log(`\n${label}: ${files.length} text files, ${(bytes / MIB).toFixed(1)} MiB`);
  let best = 0;
  for (const setting of settings) {
    const r = await measureOurs(paths, setting.workers);
    best = Math.max(best, mibps(r.bytes, r.ms));
    const detail = `median of ${r.all.join('/')} ms, ${r.files} files, ${r.findings} findings, ${r.workers} worker(s) used`;
    console.log(
      `  opsbook, ${setting.label.padEnd(17)} ${mibps(r.bytes, r.ms).toFixed(1).padStart(6)} MiB/s  (${detail})`,
    );
  }
  const theirs = secretlint ?? measureSecretlint(files);
  if (theirs.timedOut) {
    console.log(`  secretlint: no result within ${BUDGET_MS / 1000} s`);
    return theirs;
  }
  const rate = mibps(bytes, theirs.ms);
  const detail = `${Math.round(theirs.ms)} ms with npx start-up, ${theirs.files} files, ${theirs.findings} findings`;
  console.log(`  secretlint (recommend preset)      ${rate.toFixed(1).padStart(6)} MiB/s  (${detail})`);
  console.log(`  best opsbook setting / secretlint: ${(best / rate).toFixed(0)}x`);
  return theirs;
}

const all = textFiles(join(root, 'node_modules'));
const full = BUDGET_MS > 0 ? measureSecretlint(all) : { timedOut: true, ms: 0 };
await compare('full tree node_modules', ['node_modules'], all, SETTINGS, full);
if (full.timedOut) {
  const why =
    BUDGET_MS > 0
      ? `did not finish the full tree within ${BUDGET_MS / 1000} s`
      : 'was not run on the full tree';
  console.log(`\nsecretlint ${why}, so both run on a fixed subset (SUBSET in bench/secrets.mjs):`);
  const files = SUBSET.flatMap((p) => textFiles(join(root, 'node_modules', p), p));
  await compare(
    `subset ${SUBSET.join(', ')}`,
    SUBSET.map((p) => `node_modules/${p}`),
    files,
    // One scan per package: two fresh workers per package would measure thread start-up, not scanning.
    SETTINGS.filter((setting) => setting.workers !== 2),
  );
}
