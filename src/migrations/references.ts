/** Turns what still references a dropped object into diagnostics, honouring `-- opsbook-ignore still-referenced`. */
import type { Diagnostic } from '../diagnostics/index.js';
import type { DbClient } from './db.js';
import { findReferences } from './destructive.js';
import { RULE_NAMES, type RuleSeverity, readSuppressions } from './lint/index.js';
import { parseSqlSync } from './parse-sql.js';
import type { PlannedMigration } from './plan-types.js';

export const STILL_REFERENCED = 'still-referenced';

export async function referenceDiagnostics(
  client: DbClient,
  migration: PlannedMigration,
  overrides: RuleSeverity = {},
): Promise<Diagnostic[]> {
  const severity = overrides[STILL_REFERENCED] ?? overrides[`migration/${STILL_REFERENCED}`] ?? 'error';
  if (severity === 'off' || migration.destructive.length === 0) return [];
  const parsed = parseSqlSync(migration.file.text);
  const suppressions = readSuppressions(parsed, migration.file.display, RULE_NAMES);
  const diagnostics: Diagnostic[] = [];
  for (const target of migration.destructive) {
    if (suppressions.isIgnored(STILL_REFERENCED, target.statement)) continue;
    const refs = await findReferences(client, target, migration.statements);
    if (!refs.length) continue;
    const what = target.column ? `column ${target.object}.${target.column}` : `table ${target.object}`;
    diagnostics.push({
      severity,
      code: `migration/${STILL_REFERENCED}`,
      message: `${target.action} of ${what} while the database still uses it: ${refs.map((r) => `${r.kind} ${r.name}`).join(', ')}`,
      hint: `change or drop those first (in an earlier migration), or add '-- opsbook-ignore ${STILL_REFERENCED}: <why>' above the statement`,
      location: { file: migration.file.display, ...parsed.position(target.statement.start) },
    });
  }
  return diagnostics;
}
