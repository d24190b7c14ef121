/**
 * `migrate up` for an engine: under opsbook's migration lock, plan (refusing failed rows, edits and lint errors), run
 * the engine's own command, then read its history again. A command that fails is a failed run with its output tail;
 * one that exits 0 while pending migrations are still unrecorded is a failure too, never "applied".
 */
import { resolve } from 'node:path';
import { type Diagnostic, hasErrors } from '../../diagnostics/index.js';
import { scrubConnection } from '../../redact/index.js';
import type { MigrateOptions } from '../options.js';
import { DEFAULTS, recordEvent } from '../options.js';
import type { MigrationPlan, PlannedMigration } from '../plan.js';
import type { BackupStep } from '../up-steps.js';
import { describeExit, runShell } from './command.js';
import { engineEnv } from './sql-sources.js';
import type { Engine } from './types.js';

export interface EngineUpResult {
  ok: boolean;
  applied: {
    version: string;
    name: string;
    file: string;
    status: 'applied' | 'failed';
    durationMs: number;
    backup?: string;
  }[];
  diagnostics: Diagnostic[];
}

export async function engineUp(
  engine: Engine,
  plan: MigrationPlan,
  options: MigrateOptions,
  replan: () => Promise<MigrationPlan>,
  /** The pg_dump before a destructive migration, as `migrate up` takes it for plain SQL files. */
  backup?: (migration: PlannedMigration) => Promise<BackupStep>,
): Promise<EngineUpResult> {
  const diagnostics: Diagnostic[] = [];
  if (hasErrors(plan.diagnostics) || !plan.pending.length)
    return { ok: !hasErrors(plan.diagnostics), applied: [], diagnostics };
  const command = options.command ?? engine.defaultCommand;
  if (!command) {
    return {
      ok: false,
      applied: [],
      diagnostics: [
        {
          severity: 'error',
          code: 'migration/no-command',
          message: `${plan.pending.length} ${engine.name} migration(s) are pending and opsbook does not know how to apply them`,
          hint: 'set migrations.command to the command that applies them',
        },
      ],
    };
  }
  // The engine's command applies every pending migration in one go: back up what any of them destroys first.
  const backups = new Map<string, string>();
  for (const m of plan.pending) {
    const step = await backup?.(m);
    if (step && !step.ok) {
      await recordEvent(options, {
        type: 'migration.failed',
        message: step.diagnostic.message,
        data: { engine: engine.name, command },
      });
      return { ok: false, applied: [], diagnostics: [step.diagnostic] };
    }
    if (step?.path) backups.set(m.file.display, step.path);
  }
  const root = engine.root(resolve(options.cwd, options.dir ?? engine.defaultDir), options.cwd);
  const url = options.databaseUrl ?? '';
  options.onProgress?.(`running \`${command}\` for ${plan.pending.length} pending migration(s)`);
  const started = Date.now();
  const run = await runShell(command, {
    cwd: root,
    env: engineEnv(options),
    signal: options.signal,
    timeoutMs: options.commandTimeoutMs ?? DEFAULTS.commandTimeoutMs,
    onLine: (line) => options.onProgress?.(scrubConnection(line, url)),
  });
  const durationMs = Date.now() - started;
  const tail = scrubConnection(run.tail, url);
  const after = await replan();
  const stillPending = new Set(after.pending.map((m) => m.file.display));
  const failedNow = new Set(after.entries.filter((e) => e.state === 'failed').map((e) => e.file?.display));
  const applied = plan.pending.map((m) => ({
    version: m.version,
    name: m.name,
    file: m.file.display,
    status:
      stillPending.has(m.file.display) || failedNow.has(m.file.display)
        ? ('failed' as const)
        : ('applied' as const),
    durationMs,
    backup: backups.get(m.file.display),
  }));
  diagnostics.push(
    ...after.diagnostics.filter((d) => d.severity === 'error' && d.code === 'migration/failed'),
  );
  if (!run.ok) {
    diagnostics.push({
      severity: 'error',
      code: 'migration/command-failed',
      message: `\`${command}\` failed (${describeExit(run)})${tail ? `; its last output:\n${tail}` : ''}`,
      hint: `fix the cause shown above and run again; ${applied.filter((a) => a.status === 'applied').length} of ${applied.length} pending migration(s) were recorded as applied by ${engine.name}`,
    });
  } else if (applied.some((a) => a.status === 'failed')) {
    const missing = applied.filter((a) => a.status === 'failed').map((a) => a.file);
    diagnostics.push({
      severity: 'error',
      code: 'migration/command-did-not-apply',
      message: `\`${command}\` exited 0 but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} still not recorded as applied in ${after.engine?.table ?? `${engine.name}'s history`}`,
      hint: 'check that the command targets this database (it gets the URL in the variable migrations.urlEnv names) and this migrations folder',
    });
  }
  const ok = !hasErrors(diagnostics);
  await recordEvent(options, {
    type: ok ? 'migration.applied' : 'migration.failed',
    message: ok
      ? `\`${command}\` applied ${applied.length} migration(s)`
      : (diagnostics.find((d) => d.severity === 'error')?.message ?? 'failed'),
    data: { engine: engine.name, command, applied },
  });
  return { ok, applied, diagnostics };
}
