/** scanSecrets: lists the work (files or history fragments), fans it out to the pool, then applies ignores and the baseline. */
import { execFile } from 'node:child_process';
import { realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { UserError } from '../../errors.js';
import { discardPrestarted } from '../../workers/prestart.js';
import { baselineKey, DEFAULT_BASELINE, readBaseline, writeBaseline } from './baseline.js';
import type { RawFinding } from './detect.js';
import { type FileList, listFiles } from './files.js';
import { loadRuleSet } from './gitleaks-config.js';
import { readHistory } from './history.js';
import { readGitleaksIgnore } from './ignore-file.js';
import { createPool, type ScanPool } from './pool.js';
import type { BatchResult, ScanTask } from './task.js';
import { PARALLEL_MIN_FILES, SCAN_WORKER, scanThreads } from './threads.js';
import type { SecretFinding, SkippedFile } from './types.js';

export interface ScanOptions {
  cwd: string;
  /** File or directory to scan, relative to cwd (default: cwd). */
  path?: string;
  /** Scan the lines every commit added (`git log -p --all`) instead of the working tree. */
  history?: boolean;
  /** Baseline file relative to cwd (default `.opsbook/secrets-baseline.json`). */
  baseline?: string;
  /** Accept every current finding: write them all to the baseline. */
  writeBaseline?: boolean;
  /** Larger files are skipped with a note (default 5 MiB). */
  maxFileBytes?: number;
  /** Worker threads (0: the main thread alone); default one per core for large trees, none for small ones. */
  workers?: number;
  /** List files through git so .gitignore is respected (default true); false walks the directory. */
  gitignore?: boolean;
  signal?: AbortSignal;
}

export interface ScanResult {
  mode: 'tree' | 'history';
  /** What was scanned, relative to cwd. */
  target: string;
  findings: SecretFinding[];
  /** Findings accepted by the baseline, not listed. */
  baselined: number;
  /** Findings listed in .gitleaksignore, not listed. */
  ignored: number;
  skipped: SkippedFile[];
  /** Files (or history fragments) scanned. */
  files: number;
  bytes: number;
  commits?: number;
  rules: number;
  ruleSource: string;
  /** Worker threads used; `mainThread` says whether the main thread scanned as well. */
  workers: number;
  mainThread: boolean;
  durationMs: number;
  baselineFile: string;
  /** Entries written by `writeBaseline`. */
  baselineWritten?: number;
  notes: string[];
}

const MIB = 1024 * 1024;
/** ~1 MiB of node_modules, a few ms of work: fewer round trips to the main thread, which only hands out batches. */
const FILES_PER_BATCH = 128;
const HISTORY_BATCH_BYTES = 512 * 1024;
/**
 * History scans stream, so their size is unknown: workers join only scans still running after this long. A fresh
 * isolate needs 50 ms to start (built; about 700 ms from source, through tsx) and more to warm its JIT.
 */
const DEFER_WORKERS_MS = 1000;
const git = promisify(execFile);
const toPosix = (p: string) => (sep === '/' ? p : p.split(sep).join('/'));

interface Collected {
  raw: RawFinding;
  file: string;
  commit?: { commit: string; author: string; date: string };
}

interface Tally {
  collected: Collected[];
  skipped: SkippedFile[];
  files: number;
  bytes: number;
}

/** `where(i)` names the batch's i-th file (and its commit): asked only for the few skipped or with findings. */
function record(
  tally: Tally,
  result: BatchResult,
  where: (index: number) => { file: string; commit?: Collected['commit'] },
): void {
  tally.files += result.files;
  tally.bytes += result.bytes;
  for (const [index, { skipped, bytes, findings }] of result.notable) {
    const { file, commit } = where(index);
    if (skipped)
      tally.skipped.push({ file, reason: skipped, ...(skipped === 'too-large' ? { size: bytes } : {}) });
    else for (const raw of findings) tally.collected.push({ raw, file, commit });
  }
}

interface TreeWork extends FileList {
  root: string;
}

async function listTree(target: string, isFile: boolean, options: ScanOptions): Promise<TreeWork> {
  if (isFile) return { root: dirname(target), names: [basename(target)], regular: false };
  const listed = await listFiles(target, { git: options.gitignore !== false, signal: options.signal });
  return { root: target, ...listed };
}

async function scanTree(pool: ScanPool, work: TreeWork, cwd: string, tally: Tally): Promise<void> {
  const { root, names, regular } = work;
  const realRoot = await realpath(root);
  const batches: Promise<void>[] = [];
  for (let i = 0; i < names.length; i += FILES_PER_BATCH) {
    const chunk = names.slice(i, i + FILES_PER_BATCH);
    batches.push(
      pool.run({ kind: 'files', dir: root, root: realRoot, regular, names: chunk }).then((result) => {
        record(tally, result, (j) => ({ file: toPosix(relative(cwd, join(root, chunk[j] as string))) }));
      }),
    );
  }
  await Promise.all(batches);
}

async function scanHistory(
  pool: ScanPool,
  target: string,
  cwd: string,
  options: ScanOptions,
  tally: Tally,
): Promise<number> {
  const top = await git('git', ['-C', target, 'rev-parse', '--show-toplevel'], { encoding: 'utf8' }).then(
    (r) => r.stdout.trim(),
    () => {
      throw new UserError(
        `--history needs a git repository, and ${relative(cwd, target) || '.'} is not in one`,
        'run it inside a clone, or drop --history to scan the files',
      );
    },
  );
  const maxBytes = options.maxFileBytes ?? 5 * MIB;
  const commits = new Set<string>();
  const inFlight: Promise<void>[] = [];
  let batch: { task: Extract<ScanTask, { kind: 'text' }>; file: string; commit: Collected['commit'] }[] = [];
  let batchBytes = 0;
  const submit = () => {
    const sent = batch;
    batch = [];
    batchBytes = 0;
    const done = pool.run({ kind: 'texts', tasks: sent.map((s) => s.task) }).then((result) => {
      record(tally, result, (j) => sent[j] as (typeof sent)[number]);
    });
    // Awaited later; marked handled now so a failure before then is not an unhandled rejection.
    done.catch(() => {});
    inFlight.push(done);
  };
  for await (const fragment of readHistory(target, options.signal, (hash) => commits.add(hash))) {
    const file = toPosix(relative(cwd, join(top, fragment.file)));
    const commit = { commit: fragment.commit, author: fragment.author, date: fragment.date };
    if (fragment.text.length > maxBytes) {
      tally.skipped.push({
        file: `${fragment.commit.slice(0, 12)}:${file}`,
        reason: 'too-large',
        size: fragment.text.length,
      });
      continue;
    }
    batch.push({
      task: {
        kind: 'text',
        path: fragment.file,
        text: fragment.text,
        lines: fragment.lines,
        commit: fragment.commit,
      },
      file,
      commit,
    });
    batchBytes += fragment.text.length;
    if (batchBytes >= HISTORY_BATCH_BYTES) submit();
    // Back-pressure: git log can produce gigabytes; keep only a few batches per worker in memory.
    if (pool.pending > Math.max(1, pool.workers) * 4) await inFlight.shift();
  }
  if (batch.length) submit();
  await Promise.all(inFlight);
  return commits.size;
}

function toFinding({ raw, file, commit }: Collected): SecretFinding {
  const { start: _start, end: _end, ...rest } = raw;
  const fingerprint = `${commit ? `${commit.commit}:` : ''}${file}:${raw.ruleId}:${raw.line}`;
  return { ...rest, file, fingerprint, ...(commit ?? {}) };
}

/** Explicit `workers` means exactly those threads (0: the main thread alone). */
function threading(
  options: ScanOptions,
  tree: TreeWork | undefined,
): { workers: number; mainThread: boolean; deferWorkersMs?: number } {
  if (options.workers !== undefined) return { workers: options.workers, mainThread: false };
  const cores = scanThreads();
  if (tree)
    return tree.names.length >= PARALLEL_MIN_FILES && cores > 1
      ? { workers: cores - 1, mainThread: true }
      : { workers: 0, mainThread: true };
  return {
    workers: Math.max(1, cores - 1),
    mainThread: true,
    deferWorkersMs: DEFER_WORKERS_MS,
  };
}

export async function scanSecrets(options: ScanOptions): Promise<ScanResult> {
  const started = performance.now();
  const cwd = resolve(options.cwd);
  const target = resolve(cwd, options.path ?? '.');
  const info = await stat(target).catch(() => {
    throw new UserError(
      `nothing to scan at ${options.path ?? target}: no such file or directory`,
      'pass an existing file or directory',
    );
  });
  const dir = info.isFile() ? dirname(target) : target;
  const { ruleSet, notes } = await loadRuleSet([dir, cwd], cwd);
  const ignore = await readGitleaksIgnore([dir, cwd]);
  const baselinePath = resolve(cwd, options.baseline ?? DEFAULT_BASELINE);
  const baselineFile = toPosix(relative(cwd, baselinePath));
  const accepted = options.writeBaseline ? new Set<string>() : await readBaseline(baselinePath, baselineFile);
  const history = options.history === true;
  const tree = history ? undefined : await listTree(target, info.isFile(), options);
  const threads = threading(options, tree);
  // Workers the command started on a guess are stopped at once when the tree is scanned in-process.
  if (threads.workers === 0) void discardPrestarted(SCAN_WORKER);
  const pool = createPool(ruleSet, {
    ...threads,
    maxBytes: options.maxFileBytes ?? 5 * MIB,
    signal: options.signal,
  });
  const tally: Tally = { collected: [], skipped: [], files: 0, bytes: 0 };
  let commits: number | undefined;
  try {
    if (tree) await scanTree(pool, tree, cwd, tally);
    else commits = await scanHistory(pool, target, cwd, options, tally);
  } finally {
    await Promise.all([pool.close(), discardPrestarted(SCAN_WORKER)]);
  }
  const all = tally.collected
    .map(toFinding)
    .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  const notIgnored = all.filter((f) => !ignore.has(f.fingerprint));
  const findings = notIgnored.filter((f) => !accepted.has(baselineKey(f)));
  const baselineWritten = options.writeBaseline ? await writeBaseline(baselinePath, notIgnored) : undefined;
  return {
    mode: history ? 'history' : 'tree',
    target: toPosix(relative(cwd, target)) || '.',
    findings: options.writeBaseline ? [] : findings,
    baselined: options.writeBaseline ? notIgnored.length : notIgnored.length - findings.length,
    ignored: all.length - notIgnored.length,
    skipped: tally.skipped.sort((a, b) => a.file.localeCompare(b.file)),
    files: tally.files,
    bytes: tally.bytes,
    ...(commits === undefined ? {} : { commits }),
    rules: ruleSet.rules.length,
    ruleSource: ruleSet.source,
    workers: pool.workers,
    mainThread: pool.mainThread,
    durationMs: Math.round(performance.now() - started),
    baselineFile,
    ...(baselineWritten === undefined ? {} : { baselineWritten }),
    notes,
  };
}
