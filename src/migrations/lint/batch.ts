/** Lints a batch of files on its own (each file as one run), on whichever thread the batch pool gives it. */
import type { Diagnostic } from '../../diagnostics/index.js';
import { readMigrationTextSync, withoutBom } from '../file-text.js';
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
  const files: LintedSummary[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const { file, r } of read) {
    if (!r.ok) {
      refused.push(r.diagnostic);
      continue;
    }
    // One file at a time: its parse tree is garbage before the next is parsed, so the young generation stays small
    // and cheap to collect (a batch's trees kept alive together were copied by every scavenge).
    // As the runner reads it (files.ts): without a UTF-8 BOM, which the parser would take for part of the first word.
    const result = await lintSources([{ file, text: withoutBom(r.text) }], {
      ...options,
      oneRun: false,
    });
    for (const f of result.files)
      files.push({
        file: f.file,
        statements: f.mode.statements.length,
        transactional: f.mode.transactional,
        reason: f.mode.reason,
      });
    diagnostics.push(...result.diagnostics);
  }
  return { refused, files, diagnostics };
}
