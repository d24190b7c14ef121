/**
 * Since when each variable has held its value, carried from one verified deploy's fingerprint to the next: the
 * salts differ per fingerprint, so only the deploy that compares values can tell a rotation from no change.
 */
import type { EnvChanges, EnvFingerprint, VarSince } from './fingerprint.js';

/**
 * `rotated`: the value differed from (or was absent in) the previous fingerprint, so it was set at or just before
 * this deploy. Otherwise the value is the one opsbook first recorded then, and may be older.
 */
export function carrySince(
  current: EnvFingerprint,
  previous: EnvFingerprint | undefined,
  changes: EnvChanges | undefined,
): Record<string, VarSince> {
  const here = (rotated: boolean): VarSince => ({ runId: current.runId, at: current.recordedAt, rotated });
  const since: Record<string, VarSince> = {};
  for (const [name, hash] of Object.entries(current.vars)) {
    if (hash === null) continue; // write-only: no value seen, nothing to date
    if (!previous || !changes) since[name] = here(false);
    else if (changes.changed.includes(name) || changes.added.includes(name)) since[name] = here(true);
    else if (changes.unknown.includes(name) || previous.vars[name] == null) since[name] = here(false);
    else
      since[name] = previous.since?.[name] ?? {
        runId: previous.runId,
        at: previous.recordedAt,
        rotated: false,
      };
  }
  return since;
}
