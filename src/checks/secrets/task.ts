/** One unit of scanning work, run the same way in a worker thread or in-process. */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { CompiledRuleSet } from './compile.js';
import { detectSecrets, type RawFinding } from './detect.js';
import type { SkipReason } from './types.js';

export type ScanTask =
  | { kind: 'file'; abs: string; path: string }
  /** An added-lines fragment from git history; `lines[i]` is the file line of fragment line i + 1. */
  | { kind: 'text'; path: string; text: string; lines: number[]; commit: string };

export interface TaskResult {
  findings: RawFinding[];
  bytes: number;
  skipped?: SkipReason;
  /** The file vanished between listing and reading (deleted but still in git's index). */
  missing?: boolean;
}

const SNIFF_BYTES = 8192;

function readText(
  abs: string,
  maxBytes: number,
): { text?: string; bytes: number; skipped?: SkipReason; missing?: boolean } {
  let fd: number;
  try {
    fd = openSync(abs, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'EISDIR'
      ? { bytes: 0, missing: true }
      : { bytes: 0, skipped: 'unreadable' };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { bytes: 0, missing: true };
    if (stat.size > maxBytes) return { bytes: stat.size, skipped: 'too-large' };
    const buffer = Buffer.allocUnsafe(stat.size);
    let read = 0;
    while (read < stat.size) {
      const n = readSync(fd, buffer, read, stat.size - read, read);
      if (n === 0) break;
      read += n;
    }
    const bytes = buffer.subarray(0, read);
    if (bytes.subarray(0, SNIFF_BYTES).includes(0)) return { bytes: read, skipped: 'binary' };
    return { text: bytes.toString('latin1'), bytes: read };
  } catch {
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
  const { text, bytes, skipped, missing } = readText(task.abs, maxBytes);
  if (text === undefined) return { findings: [], bytes, skipped, missing };
  return { findings: detectSecrets(set, { text, path: task.path }), bytes };
}
