/** The deploy's gate and migration steps, wired to the gate runner and the migration runner. */
import type { StackConfig } from '../config/index.js';
import type { RunDeployOptions } from '../deploy/index.js';
import { UserError } from '../errors.js';
import type { Redactor } from '../redact/index.js';
import type { Store } from '../store/index.js';

export interface StepContext {
  cwd: string;
  config: StackConfig;
  environment: string;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  redactor: Redactor;
  actor: string;
  store: Store;
  log: (message: string) => void;
}

export function gateStep(
  ctx: StepContext,
  options: { confirmed: string[]; noCache: boolean; ask?: (question: string) => Promise<boolean> },
): NonNullable<RunDeployOptions['runGates']> {
  return async (ids) => {
    // Loaded when a run gets here: a resumed or gate-less deploy does not pay for the gates or the SQL parser.
    const { countLine, replayNote, runChecks } = await import('../checks/gates/index.js');
    const r = await runChecks({
      cwd: ctx.cwd,
      config: ctx.config,
      environment: ctx.environment,
      env: ctx.env,
      signal: ctx.signal,
      redactor: ctx.redactor,
      actor: ctx.actor,
      store: ctx.store,
      only: ids,
      confirm: options.confirmed,
      noCache: options.noCache,
      ask: options.ask,
    });
    const failed = r.gates.filter((g) => g.status === 'failed' && g.required);
    const replayed = r.gates.filter((g) => g.cached).map((g) => `${g.id} (${replayNote(g)})`);
    return {
      passed: r.passed,
      summary: failed.length
        ? `${failed.map((g) => `${g.id}: ${g.summary}`).join('; ')} (${countLine(r)})`
        : `${countLine(r)}${replayed.length ? `; ${replayed.join(', ')}` : ''}`,
    };
  };
}

export function migrateStep(ctx: StepContext): NonNullable<RunDeployOptions['migrate']> {
  return async () => {
    const m = ctx.config.migrations!;
    if (m.engine !== 'sql' && !m.command)
      return {
        ok: true,
        summary: `skipped: ${m.engine} migrations are run by the platform or the release itself (no migrations.command)`,
      };
    // Loaded when a run gets here: a resumed or migration-less deploy does not pay for the SQL parser.
    const { describeExit, migrateOptionsFromConfig, migrateUp, runShell } = await import(
      '../migrations/index.js'
    );
    const options = migrateOptionsFromConfig(ctx.config, {
      cwd: ctx.cwd,
      env: ctx.env,
      redactor: ctx.redactor,
      signal: ctx.signal,
    })!;
    const onProgress = (msg: string) => ctx.log(`  migrate: ${msg}`);
    try {
      if (!options.databaseUrl) {
        if (m.engine === 'sql' || !m.command)
          return {
            ok: true,
            summary: `skipped: ${m.urlEnv} is not set, so there is no database to migrate`,
          };
        // The engine finds its database itself; without the URL opsbook can only report the command's result.
        const run = await runShell(m.command, {
          cwd: ctx.cwd,
          env: ctx.env,
          signal: ctx.signal,
          timeoutMs: options.commandTimeoutMs,
          onLine: onProgress,
        });
        // Stopped by a signal: the deploy is interrupted (resumable, the lock kept), as at any other step.
        ctx.signal.throwIfAborted();
        return run.ok
          ? { ok: true, summary: `\`${m.command}\` done (history not checked: ${m.urlEnv} is not set)` }
          : {
              ok: false,
              summary: `\`${m.command}\` failed (${describeExit(run)})${run.tail ? `: ${run.tail.split('\n').slice(-3).join(' | ')}` : ''}`,
            };
      }
      const r = await migrateUp({ ...options, onProgress });
      ctx.signal.throwIfAborted();
      const failed = r.diagnostics.filter((d) => d.severity === 'error');
      return {
        ok: r.ok,
        summary: r.ok
          ? `${r.applied.length} migration(s) applied to ${r.target}`
          : `${failed.length} problem(s): ${failed
              .slice(0, 2)
              .map((d) => d.message)
              .join('; ')}`,
      };
    } catch (error) {
      // Bad input or an unreachable database is a failed migration step (the deploy stops cleanly), not a crash.
      if (!(error instanceof UserError)) throw error;
      return { ok: false, summary: `${error.message}${error.hint ? ` (${error.hint})` : ''}` };
    }
  };
}

/**
 * Two hooks for the crash-matrix tests (DEVELOPERS.md): OPSBOOK_CRASH_AT kills the process with SIGKILL at a
 * journal checkpoint (`phase:deployed`, `after:deploy:api`...); OPSBOOK_DEPLOY_POLL_MS polls loopback fakes faster.
 */
export function testHooks(env: NodeJS.ProcessEnv): Pick<RunDeployOptions, 'checkpoint' | 'pollMs'> {
  const crashAt = env.OPSBOOK_CRASH_AT;
  const pollMs = Number(env.OPSBOOK_DEPLOY_POLL_MS);
  return {
    ...(crashAt ? { checkpoint: (point) => point === crashAt && process.kill(process.pid, 'SIGKILL') } : {}),
    ...(pollMs > 0 ? { pollMs } : {}),
  };
}
