/** Human rendering of migration results; `--json` prints the same data as one envelope instead. */
import type { Output } from '../output/index.js';
import type { LintFilesResult } from './lint-files.js';
import type { MigrationPlan } from './plan.js';
import type { HistoryChangeResult } from './repair.js';
import type { TestResult } from './scratch.js';
import type { StatusResult } from './status.js';
import type { UpResult } from './up.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function printLint(out: Output, result: LintFilesResult): void {
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  out.line(
    `linted ${plural(result.files.length, 'file')} (${result.scope})${errors ? '' : ': no blocking problems'}`,
  );
}

export function printPlan(out: Output, plan: MigrationPlan): void {
  out.heading(
    `${plan.target} (PostgreSQL ${plan.pg.major}.${plan.pg.minor}), ${plan.engine ? `${plan.engine.name} migrations, applied by \`${plan.engine.command ?? 'migrations.command'}\`` : `history in schema ${plan.schema}`}`,
  );
  if (!plan.pending.length) {
    // Failed rows, refused files or no files at all leave nothing pending too: that is not "up to date".
    const errors = plan.diagnostics.filter((d) => d.severity === 'error').length;
    out.line(
      errors
        ? `nothing opsbook can apply, and the database is not known to be current: ${plural(errors, 'error')} below`
        : 'nothing to apply: the database is up to date',
    );
    return;
  }
  out.line(`${plural(plan.pending.length, 'migration')} to apply, in order:`);
  for (const m of plan.pending) {
    if (m.sqlUnseen) {
      out.line(`  ${m.file.display}: SQL not visible to opsbook (the engine's command runs it)`);
      continue;
    }
    const how = m.transactional ? 'in one transaction' : `one at a time (${m.reason})`;
    const resume = m.resumeFrom ? `, resuming after statement ${m.resumeFrom}` : '';
    out.line(`  ${m.file.display}: ${plural(m.statements.length, 'statement')} ${how}${resume}`);
    for (const t of m.destructive) {
      out.line(
        `    destructive: ${t.action} ${t.object}${t.column ? `.${t.column}` : ''} (pg_dump backup first)`,
      );
    }
  }
}

export function printUp(out: Output, result: UpResult): void {
  for (const a of result.applied) {
    const extra = [
      a.resumedFrom ? `resumed after statement ${a.resumedFrom}` : '',
      a.backup ? `backup ${a.backup}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    if (a.status === 'applied') out.success(`${a.file} (${a.durationMs} ms${extra ? `, ${extra}` : ''})`);
    else out.line(`${out.style('red', 'failed')} ${a.file}`);
  }
  if (result.ok && !result.applied.length) out.line('nothing to apply: the database is up to date');
}

export function printStatus(out: Output, status: StatusResult): void {
  out.heading(
    `${status.target}, history in ${status.engine ? `${status.engine.table ?? `${status.engine.name}'s table (none yet)`} (${status.engine.name})` : `schema ${status.schema}`}`,
  );
  if (status.migrations.length) {
    out.table(status.migrations, [
      { header: 'VERSION', value: (m) => m.version },
      { header: 'NAME', value: (m) => m.name },
      {
        header: 'STATE',
        value: (m) => (m.kind && m.kind !== 'applied' && m.state === 'applied' ? m.kind : m.state),
      },
      { header: 'APPLIED', value: (m) => m.appliedAt?.slice(0, 19).replace('T', ' ') ?? '' },
      { header: 'STATEMENTS', value: (m) => m.statements ?? '' },
    ]);
  } else out.line('no migration files and no history');
  for (const h of status.foreign) {
    const counts = new Map<string, number>();
    for (const e of h.entries) counts.set(e.state, (counts.get(e.state) ?? 0) + 1);
    const summary = [...counts].map(([state, n]) => `${n} ${state}`).join(', ');
    const last = h.entries.at(-1);
    out.line(
      `${h.tool} history (${h.table}): ${summary}${last ? `; latest ${last.version}${last.name ? `_${last.name}` : ''}` : ''}`,
    );
  }
  if (status.foreign.some((h) => h.tool !== 'alembic')) {
    out.note("import it with 'opsbook migrate baseline --from prisma|supabase'");
  }
}

export function printTest(out: Output, result: TestResult): void {
  out.line(`scratch database ${result.database} on ${result.server} (dropped afterwards)`);
  printUp(out, { ok: result.ok, target: result.server, applied: result.applied, diagnostics: [] });
  const applied = result.applied.filter((a) => a.status === 'applied').length;
  if (result.ok) out.success(`${plural(applied, 'migration file')} applied cleanly to the scratch database`);
  else out.line(`${plural(applied, 'migration file')} applied to the scratch database before it stopped`);
}

export function printHistoryChanges(
  out: Output,
  result: HistoryChangeResult,
  stage: 'preview' | 'done' = 'done',
): void {
  if (!result.changes.length) {
    out.line('nothing to change');
    return;
  }
  for (const c of result.changes) out.line(`  ${c.action} ${c.version}_${c.name}: ${c.detail}`);
  const n = plural(result.changes.length, 'history change');
  out.line(
    result.dryRun
      ? `(dry run: ${n}, nothing changed)`
      : stage === 'preview'
        ? `${n} to make`
        : `${n} recorded`,
  );
}
