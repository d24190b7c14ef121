/** Lints a batch of files on its own (each file as one run), on whichever thread the batch pool gives it. */
import type { Diagnostic } from '../../diagnostics/index.js';
import { readMigrationTextSync } from '../file-text.js';
import { type LintOptions, lintSources } from './engine.js';

export interface BatchFile {
  /** Shown in diagnostics. */
  file: string;
  /** Absolute path to read. */
  path: string;
  /** The SQL to lint when it is not the whole file (node-pg-migrate's up part); already checked when read. */
  text?: string;
}

export interface LintedSummary {
  file: string;
  statements: number;
  transactional: boolean;
  reason?: string;
}

export interface BatchOptions extends LintOptions {
  /** Larger files are refused with a diagnostic (file-text.ts). */
  maxFileBytes?: number;
}

export interface BatchResult {
  files: LintedSummary[];
  /** Files refused unread or undecoded: too large, not UTF-8. */
  refused: Diagnostic[];
  diagnostics: Diagnostic[];
}

/** Only plain data comes back: the parse trees stay here, so memory does not grow with the number of files. */
export async function lintBatch(
  batch: readonly BatchFile[],
  { maxFileBytes, ...options }: BatchOptions,
): Promise<BatchResult> {
  const read = batch.map(({ file, path, text }) => ({
    file,
    r: text !== undefined ? { ok: true as const, text } : readMigrationTextSync(path, file, maxFileBytes),
  }));
  const refused: Diagnostic[] = [];
  const sources = read.flatMap(({ file, r }) => {
    if (r.ok) return [{ file, text: r.text }];
    refused.push(r.diagnostic);
    return [];
  });
  const result = await lintSources(sources, { ...options, oneRun: false });
  return {
    refused,
    files: result.files.map((f) => ({
      file: f.file,
      statements: f.mode.statements.length,
      transactional: f.mode.transactional,
      reason: f.mode.reason,
    })),
    diagnostics: result.diagnostics,
  };
}
