/** One unit of scanning work, run the same way in a worker thread or in-process. */
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readSync,
  realpathSync,
  statSync,
} from 'node:fs';
import { isAbsolute, relative, sep } from 'node:path';
import type { CompiledRuleSet } from './compile.js';
import { detectSecrets, type RawFinding } from './detect.js';
import type { SkipReason } from './types.js';

export type ScanTask =
  /**
   * `root`: the scanned folder's real path; a symlink resolving outside it is not followed. `regular`: the listing
   * saw a regular file, so its kind is not looked up again before the open (which still refuses anything else).
   */
  | { kind: 'file'; abs: string; path: string; root: string; regular?: boolean }
  /** An added-lines fragment from git history; `lines[i]` is the file line of fragment line i + 1. */
  | { kind: 'text'; path: string; text: string; lines: number[]; commit: string };

/**
 * What the pool passes between threads: a tree batch names its folders once, not three times per file, since cloning
 * every task's paths and every clean file's result cost both threads more than the messages carried.
 */
export type ScanBatch =
  | { kind: 'files'; dir: string; root: string; regular: boolean; names: string[] }
  | { kind: 'texts'; tasks: Extract<ScanTask, { kind: 'text' }>[] };

/** Totals over the batch's scanned files (those with findings included), and by index the results worth a look. */
export interface BatchResult {
  files: number;
  bytes: number;
  /** Results with findings or skipped; a file that vanished is left out. */
  notable: [index: number, result: TaskResult][];
}

export interface TaskResult {
  findings: RawFinding[];
  bytes: number;
  skipped?: SkipReason;
  /** The file vanished between listing and reading (deleted but still in git's index). */
  missing?: boolean;
}

const SNIFF_BYTES = 8192;

type ReadResult = { text?: string; bytes: number; skipped?: SkipReason; missing?: boolean };

/** FIFOs, sockets and devices are never opened (a FIFO blocks the reader forever); symlinks stay inside the root. */
function checkKind(abs: string, root: string): ReadResult | undefined {
  let info = lstatSync(abs, { throwIfNoEntry: false });
  if (!info) return { bytes: 0, missing: true };
  if (info.isSymbolicLink()) {
    let real: string;
    try {
      real = realpathSync(abs);
    } catch {
      return { bytes: 0, missing: true }; // a dangling link
    }
    const rel = relative(root, real);
    if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel))
      return { bytes: 0, skipped: 'outside-root' };
    info = statSync(real);
  }
  return info.isFile() || info.isDirectory() ? undefined : { bytes: 0, skipped: 'special' };
}

/**
 * A UTF-16 file with its byte-order mark, decoded; its NUL high bytes made it look binary, so an .env written by
 * Windows PowerShell (`echo KEY=... > .env` writes UTF-16LE) was skipped with its secret unread.
 */
function utf16Text(bytes: Buffer): string | undefined {
  if (bytes.length < 2) return undefined;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2, 2 + ((bytes.length - 2) & ~1)));
    return swapped.swap16().toString('utf16le');
  }
  return undefined;
}

/**
 * One buffer per thread, grown to the largest file read: the text is a copy, and a fresh buffer per file was a
 * large share of the scanner's garbage.
 */
let scratch = Buffer.allocUnsafe(64 * 1024);

function readText(abs: string, root: string, maxBytes: number, regular: boolean): ReadResult {
  const refused = regular ? undefined : checkKind(abs, root);
  if (refused) return refused;
  let fd: number;
  try {
    // O_NONBLOCK: should the path turn into a FIFO after the check, opening it still returns at once.
    fd = openSync(abs, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'EISDIR'
      ? { bytes: 0, missing: true }
      : { bytes: 0, skipped: 'unreadable' };
  }
  try {
    // Read to the end instead of asking fstat for the size first: the kind is known already (the listing or
    // checkKind), and fstat's Stats with its four Dates was a twentieth of a node_modules scan. Only a file that fills
    // the buffer is sized, so one over the limit is refused unread.
    let read = 0;
    let sized = false;
    for (;;) {
      if (read === scratch.length) {
        if (!sized) {
          sized = true;
          const size = fstatSync(fd).size;
          if (size > maxBytes) return { bytes: size, skipped: 'too-large' };
        }
        if (read > maxBytes) break;
        const grown = Buffer.allocUnsafe(Math.min(scratch.length * 2, maxBytes + 1));
        scratch.copy(grown, 0, 0, read);
        scratch = grown;
      }
      const n = readSync(fd, scratch, read, scratch.length - read, read);
      if (n === 0) break;
      read += n;
    }
    // Grown past the limit while it was read.
    if (read > maxBytes) return { bytes: read, skipped: 'too-large' };
    const bytes = scratch.subarray(0, read);
    const utf16 = utf16Text(bytes);
    if (utf16 !== undefined) return { text: utf16, bytes: read };
    if (bytes.subarray(0, SNIFF_BYTES).includes(0)) return { bytes: read, skipped: 'binary' };
    return { text: bytes.toString('latin1'), bytes: read };
  } catch (error) {
    // A directory (a git submodule, or a file replaced by one since the listing) opens, then refuses the read.
    if ((error as NodeJS.ErrnoException).code === 'EISDIR') return { bytes: 0, missing: true };
    return { bytes: 0, skipped: 'unreadable' };
  } finally {
    closeSync(fd);
  }
}

export function runTask(set: CompiledRuleSet, task: ScanTask, maxBytes: number): TaskResult {
  if (task.kind === 'text') {
    const findings = detectSecrets(set, { text: task.text, path: task.path, commit: task.commit });
    for (const f of findings) f.line = task.lines[f.line - 1] ?? f.line;
    return { findings, bytes: task.text.length };
  }
  const { text, bytes, skipped, missing } = readText(task.abs, task.root, maxBytes, task.regular === true);
  if (text === undefined) return { findings: [], bytes, skipped, missing };
  return { findings: detectSecrets(set, { text, path: task.path }), bytes };
}

export function runBatch(set: CompiledRuleSet, batch: ScanBatch, maxBytes: number): BatchResult {
  const out: BatchResult = { files: 0, bytes: 0, notable: [] };
  const add = (index: number, result: TaskResult) => {
    if (result.missing) return;
    if (result.skipped) {
      out.notable.push([index, result]);
      return;
    }
    out.files++;
    out.bytes += result.bytes;
    if (result.findings.length) out.notable.push([index, result]);
  };
  if (batch.kind === 'texts') batch.tasks.forEach((task, i) => add(i, runTask(set, task, maxBytes)));
  else {
    const { dir, root, regular, names } = batch;
    // Names are clean relative paths (a walk's or git's) under a resolved folder, so no path.join per file: it
    // normalised what was already normal, ~1 µs a file (10 ms of each thread's CPU on node_modules).
    const prefix = dir.endsWith(sep) ? dir : `${dir}${sep}`;
    names.forEach((path, i) =>
      add(i, runTask(set, { kind: 'file', abs: prefix + path, path, root, regular }, maxBytes)),
    );
  }
  return out;
}
