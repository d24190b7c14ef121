/** `migrate status` (everything, including other tools' histories) and `migrate verify` (fails unless all applied). */
import type { Diagnostic } from '../diagnostics/index.js';
import type { StatusEntry } from './compare.js';
import { requireDatabaseUrl, withClient } from './db.js';
import { type ForeignHistory, readForeignHistories } from './foreign-history.js';
import type { MigrateOptions } from './options.js';
import { buildPlan, type MigrationPlan } from './plan.js';

export interface StatusRow {
  version: string;
  name: string;
  state: StatusEntry['state'];
  file?: string;
  kind?: string;
  appliedAt?: string;
  appliedBy?: string;
  /** `applied/total` statements. */
  statements?: string;
  durationMs?: number;
  backup?: string;
}

export interface StatusResult {
  ok: boolean;
  target: string;
  schema: string;
  migrations: StatusRow[];
  foreign: ForeignHistory[];
  diagnostics: Diagnostic[];
  /** Set when another tool's history was read instead of opsbook's. */
  engine?: MigrationPlan['engine'];
}

export async function migrationStatus(options: MigrateOptions): Promise<StatusResult> {
  const url = requireDatabaseUrl(options);
  return withClient(url, 'status', async (client) => {
    // Lint findings belong to `plan`/`lint`; status reports the state of the history only.
    const plan = await buildPlan(client, options, { checkReferences: false, lint: false });
    // With an engine its table is the history itself, not another tool's to import.
    const foreign = plan.engine ? [] : await readForeignHistories(client);
    const { diagnostics } = plan;
    return {
      ok: !diagnostics.some((d) => d.severity === 'error'),
      target: plan.target,
      schema: plan.schema,
      migrations: plan.entries.map(toRow),
      ...(plan.engine ? { engine: plan.engine } : {}),
      foreign,
      diagnostics,
    };
  });
}

/** Passes only when every file is applied, unchanged and complete: the check to run after a deploy. */
export async function verifyMigrations(options: MigrateOptions): Promise<StatusResult> {
  const status = await migrationStatus(options);
  const notApplied = status.migrations.filter(
    (m) => m.state === 'pending' || m.state === 'partial' || m.state === 'rolled-back',
  );
  const diagnostics = [
    ...status.diagnostics,
    ...notApplied.map(
      (m): Diagnostic => ({
        severity: 'error',
        code: m.state === 'partial' ? 'migration/partially-applied' : 'migration/not-applied',
        message: `${m.file ?? m.version} is ${m.state === 'partial' ? `only partly applied (${m.statements} statements)` : m.state === 'rolled-back' ? 'rolled back, so not applied' : 'not applied'}`,
        hint: "run 'opsbook migrate up'",
        location: m.file ? { file: m.file } : undefined,
      }),
    ),
  ];
  return { ...status, ok: !diagnostics.some((d) => d.severity === 'error'), diagnostics };
}

function toRow(e: StatusEntry): StatusRow {
  const r = e.row;
  return {
    version: e.version,
    name: e.name,
    state: e.state,
    file: e.file?.display,
    kind: r?.kind,
    appliedAt: e.appliedAt ?? r?.finished_at?.toISOString() ?? r?.started_at.toISOString(),
    appliedBy: r?.applied_by,
    statements: r ? `${r.statements_applied}/${r.statements_total}` : undefined,
    durationMs: r?.duration_ms ?? undefined,
    backup: r?.backup_ref ?? undefined,
  };
}
