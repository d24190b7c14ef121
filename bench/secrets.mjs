// Secret-scanner throughput on this repo's node_modules (a large tree), CLI to CLI: `opsbook secrets scan` (the built
// CLI, one process per run) beside `npx secretlint` on the same files, and beside `cat` reading the same files (the
// physical limit here). `npm run bench:secrets` builds first. RUNS=3 scans of ours per setting; secretlint gets
// SECRETLINT_BUDGET_S seconds (default 180; 0 skips the attempt) on the full tree, and if it needs longer both are
// measured on a fixed subset instead.
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  cpSync,
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
import { loadLine, opsbook, timeCli } from './cli.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const RUNS = Number(process.env.RUNS ?? 3);
const BUDGET_MS = Number(process.env.SECRETLINT_BUDGET_S ?? 180) * 1000;
const MAX_BYTES = 5 * 1024 * 1024;
const MIB = 1024 * 1024;
/** The fallback subset: fixed packages of mixed JS/TS/JSON/markdown, about 1,400 files and 12 MiB of text. */
const SUBSET = ['zod', 'yaml', 'pg', 'pg-protocol', 'smol-toml', 'tsx', 'jiti', 'vitest', '@vitest'];
/** Our settings: the default (one worker per core on a large tree), the main thread alone, two workers. */
const SETTINGS = [
  { label: 'default threads', threads: [] },
  { label: '--threads 1', threads: ['--threads', '1'] },
  { label: '--threads 2', threads: ['--threads', '2'] },
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

/** The CLI as users run it; the figures come from its --json envelope, the time from outside the process. */
function measureOurs(paths, threads) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const run = { bytes: 0, files: 0, findings: 0, workers: 0, ms: 0 };
    for (const path of paths) {
      // Exit 1 means secrets were found: node_modules holds test fixtures that look like keys.
      const t = timeCli([...opsbook, 'secrets', 'scan', path, '--json', ...threads], {
        cwd: root,
        runs: 1,
        warm: 0,
        ok: (s) => s === 0 || s === 1,
      });
      const { data } = JSON.parse(t.stdout);
      run.bytes += data.bytes;
      run.files += data.files;
      run.findings += data.findings.length;
      run.workers = Math.max(run.workers, data.workers);
      run.ms += t.ms;
    }
    runs.push(run);
  }
  runs.sort((a, b) => a.ms - b.ms);
  return { ...runs[Math.floor(runs.length / 2)], all: runs.map((r) => Math.round(r.ms)) };
}

/** `cat` over the very files ours reads, into /dev/null: how fast this machine can read the tree at all. */
function measureCat(files) {
  const dir = mkdtempSync(join(tmpdir(), 'opsbook-bench-cat-'));
  try {
    const list = join(dir, 'files');
    writeFileSync(list, files.map((f) => f.path).join('\0'));
    const t = timeCli(['sh', '-c', `xargs -0 -a '${list}' cat > /dev/null`], { runs: RUNS, warm: 1 });
    return t.ms;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
  console.log(`\n${label}: ${files.length} text files, ${(bytes / MIB).toFixed(1)} MiB (${loadLine()})`);
  const catMs = measureCat(files);
  console.log(
    `  cat of the same files               ${mibps(bytes, catMs).toFixed(1).padStart(6)} MiB/s  (${Math.round(catMs)} ms)`,
  );
  let best = 0;
  let byDefault = 0;
  for (const setting of settings) {
    const r = measureOurs(paths, setting.threads);
    if (setting.threads.length === 0) byDefault = mibps(r.bytes, r.ms);
    best = Math.max(best, mibps(r.bytes, r.ms));
    const detail = `median of ${r.all.join('/')} ms, ${r.files} files, ${r.findings} findings, ${r.workers} worker(s) used`;
    console.log(
      `  opsbook, ${setting.label.padEnd(17)} ${mibps(r.bytes, r.ms).toFixed(1).padStart(6)} MiB/s  (${detail})`,
    );
  }
  console.log(
    `  opsbook default / cat: ${((byDefault / mibps(bytes, catMs)) * 100).toFixed(0)}% of the read speed`,
  );
  const theirs = secretlint ?? measureSecretlint(files);
  if (theirs.timedOut) {
    console.log(`  secretlint: no result within ${BUDGET_MS / 1000} s`);
    return theirs;
  }
  const rate = mibps(bytes, theirs.ms);
  const detail = `${Math.round(theirs.ms)} ms with npx start-up, ${theirs.files} files, ${theirs.findings} findings`;
  console.log(`  secretlint (recommend preset)      ${rate.toFixed(1).padStart(6)} MiB/s  (${detail})`);
  console.log(
    `  opsbook default / secretlint: ${(byDefault / rate).toFixed(1)}x the throughput (best setting ${(best / rate).toFixed(1)}x)`,
  );
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
  // A copy of the subset in one folder, so each tool scans it in one process, as a user would.
  const copy = mkdtempSync(join(tmpdir(), 'opsbook-bench-subset-'));
  try {
    const files = SUBSET.flatMap((p) => textFiles(join(root, 'node_modules', p), p)).map((f) => {
      const path = join(copy, f.name.replaceAll('node_modules', 'node_modules_'));
      mkdirSync(dirname(path), { recursive: true });
      cpSync(f.path, path);
      return { ...f, path };
    });
    await compare(`subset ${SUBSET.join(', ')}`, [copy], files, SETTINGS);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}
console.log(`\nafter: ${loadLine()}`);
