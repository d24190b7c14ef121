/** How `opsbook migrate` reports: each subcommand's outcome, and its `--json` data without the runner's internals. */
import type { MigrateUpOutcome } from '../app/migrate.js';
import { hasErrors } from '../diagnostics/index.js';
import { EXIT } from '../errors.js';
import type {
  HistoryChangeResult,
  LintFilesResult,
  MigrationPlan,
  StatusResult,
  TestResult,
} from '../migrations/index.js';
import * as render from '../migrations/render.js';
import type { CommandOutcome } from './types.js';

function statusData({ target, schema, migrations, foreign, engine }: StatusResult) {
  return { target, schema, migrations, foreign, ...(engine ? { engine } : {}) };
}

function planData(plan: MigrationPlan) {
  return {
    target: plan.target,
    schema: plan.schema,
    postgres: `${plan.pg.major}.${plan.pg.minor}`,
    ...(plan.engine ? { engine: plan.engine } : {}),
    pending: plan.pending.map((m) => ({
      version: m.version,
      name: m.name,
      file: m.file.display,
      // Unknown, not zero, where the engine's SQL could not be seen.
      statements: m.sqlUnseen ? null : m.statements.length,
      transactional: m.transactional,
      reason: m.reason,
      resumeFrom: m.resumeFrom,
      destructive: m.destructive.map((t) => ({ action: t.action, object: t.object, column: t.column })),
    })),
  };
}

const outcome = (
  ok: boolean,
  data: unknown,
  diagnostics = [] as CommandOutcome['diagnostics'],
  print?: CommandOutcome['print'],
) => ({ ok, data, diagnostics, print });

export const lintOutcome = (result: LintFilesResult) =>
  outcome(!hasErrors(result.diagnostics), result.files, result.diagnostics, (out) =>
    render.printLint(out, result),
  );

export const planOutcome = (plan: MigrationPlan) =>
  outcome(!hasErrors(plan.diagnostics), planData(plan), plan.diagnostics, (out) =>
    render.printPlan(out, plan),
  );

/** `verify` also says so when all is well. */
export const statusOutcome = (status: StatusResult, verify: boolean) =>
  outcome(status.ok, statusData(status), status.diagnostics, (out) => {
    render.printStatus(out, status);
    if (verify && status.ok) out.success('every migration is applied and unchanged');
  });

export function testOutcome(result: TestResult): CommandOutcome {
  const { diagnostics, ...data } = result;
  return outcome(result.ok, data, diagnostics, (out) => render.printTest(out, result));
}

export const historyOutcome = (result: HistoryChangeResult) =>
  result.dryRun
    ? outcome(true, result, [], (out) => render.printHistoryChanges(out, result))
    : outcome(true, result, [], (out) => out.success(`${result.changes.length} history change(s) recorded`));

export function upOutcome(ran: MigrateUpOutcome): CommandOutcome {
  if (ran.status === 'planned') return planOutcome(ran.plan);
  const { result } = ran;
  const { plan: _plan, ...data } = result;
  return {
    ...outcome(result.ok, data, result.diagnostics, (out) => render.printUp(out, result)),
    exitCode: result.locked ? EXIT.locked : undefined,
  };
}
