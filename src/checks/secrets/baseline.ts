/**
 * The baseline: findings a team has accepted, keyed on rule, file and the secret's SHA-256. No line numbers, so edits
 * around a finding do not churn it, and entries are sorted so concurrent changes merge cleanly.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { UserError } from '../../errors.js';
import type { SecretFinding } from './types.js';

export const DEFAULT_BASELINE = '.opsbook/secrets-baseline.json';

export interface BaselineEntry {
  rule: string;
  file: string;
  secretHash: string;
}

const keyOf = (e: BaselineEntry) => `${e.rule}\0${e.file}\0${e.secretHash}`;

export function baselineKey(finding: SecretFinding): string {
  return keyOf({ rule: finding.ruleId, file: finding.file, secretHash: finding.secretHash });
}

function isEntry(value: unknown): value is BaselineEntry {
  const v = value as Partial<BaselineEntry> | null;
  return typeof v?.rule === 'string' && typeof v.file === 'string' && typeof v.secretHash === 'string';
}

/** Keys of the accepted findings; a missing file is an empty baseline. */
export async function readBaseline(path: string, shownAs: string): Promise<Set<string>> {
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Set();
    throw new UserError(`cannot read the secrets baseline ${shownAs}: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (error) {
    throw new UserError(
      `${shownAs} is not valid JSON: ${(error as Error).message}`,
      "fix the file, or delete it and run 'opsbook secrets scan --write-baseline' to accept the current findings again",
    );
  }
  const findings = (data as { findings?: unknown } | null)?.findings;
  if (!Array.isArray(findings) || !findings.every(isEntry)) {
    throw new UserError(
      `${shownAs} is not a secrets baseline: expected {"version": 1, "findings": [{"rule", "file", "secretHash"}]}`,
      "regenerate it with 'opsbook secrets scan --write-baseline'",
    );
  }
  return new Set(findings.map(keyOf));
}

export async function writeBaseline(path: string, findings: readonly SecretFinding[]): Promise<number> {
  const entries = new Map<string, BaselineEntry>();
  for (const f of findings) {
    const entry = { rule: f.ruleId, file: f.file, secretHash: f.secretHash };
    entries.set(keyOf(entry), entry);
  }
  const sorted = [...entries.values()].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.rule.localeCompare(b.rule) ||
      a.secretHash.localeCompare(b.secretHash),
  );
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify({ version: 1, findings: sorted }, null, 2)}\n`);
  return sorted.length;
}
