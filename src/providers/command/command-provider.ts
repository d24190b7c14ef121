/**
 * The `command` provider: the team's own shell commands (`railway up`, `vercel --prod`, `render deploys create
 * --wait`). The deploy command's exit code is the verdict, unless a status command is configured: then that
 * command's output (a state word such as BUILDING, READY, FAILED) decides once the deploy command has exited 0.
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { ResolvedService } from '../../config/index.js';
import { ProviderError, UserError } from '../../errors.js';
import { describeExit, type ShellProcess, signalGroup, startShell } from '../../shell/index.js';
import { type DeployState, type Provider, type ProviderContext, TERMINAL_STATES } from '../types.js';
import { checkPrograms } from './preflight.js';
import {
  appendLog,
  type CommandRecord,
  findRecord,
  listRecords,
  patchRecord,
  readLog,
  recordsDir,
  tailLog,
  toDeploy,
  updateRecords,
} from './records.js';
import { parseStateWord } from './state-words.js';

type CommandSettings = Extract<NonNullable<ResolvedService['provider']>, { type: 'command' }>;

const STOP_GRACE_MS = 5000;
const STATUS_TIMEOUT_MS = 60_000;
const TAIL_LINES = 10;

/** Commands this process runs: they get SIGTERM if opsbook exits first, rather than running on unwatched. */
const RUNNING = new Map<string, ShellProcess>();
process.once('exit', () => {
  for (const proc of RUNNING.values()) if (proc.pid !== undefined) signalGroup(proc.pid, 'SIGTERM');
});

function isAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function createCommandProvider(service: ResolvedService): Provider {
  if (service.provider?.type !== 'command') throw new Error(`bug: ${service.name} is not a command service`);
  const settings: CommandSettings = service.provider;
  const dirOf = (ctx: ProviderContext) => recordsDir(ctx.cwd, service.name);
  const cwdOf = (ctx: ProviderContext) => resolve(ctx.cwd, settings.cwd ?? '.');
  const envOf = (ctx: ProviderContext, extra: Record<string, string | undefined>) => {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...ctx.env, OPSBOOK_SERVICE: service.name, ...extra })) {
      if (v !== undefined) env[k] = v;
    }
    return env;
  };

  /** Starts a command as a new record; its output becomes the record's log lines. */
  const launch = (
    ctx: ProviderContext,
    rec: Omit<CommandRecord, 'id' | 'seq'>,
    env: Record<string, string>,
  ) => {
    const dir = dirOf(ctx);
    const created = updateRecords(dir, (file) => {
      const seq = ++file.seq;
      const record: CommandRecord = { ...rec, id: `cmd-${seq}-${randomBytes(3).toString('hex')}`, seq };
      file.deploys.push(record);
      return record;
    });
    const source = rec.trigger === 'rollback' ? 'deploy' : 'build';
    const proc = startShell(rec.command, {
      cwd: cwdOf(ctx),
      env: { ...env, OPSBOOK_DEPLOY_ID: created.id },
      onLine: (_stream, text) =>
        appendLog(dir, created.id, {
          at: new Date(ctx.now()).toISOString(),
          source,
          text: ctx.redactor.redact(text),
        }),
    });
    RUNNING.set(created.id, proc);
    patchRecord(dir, created.id, { runnerPid: process.pid, pid: proc.pid });
    return { rec: created, proc };
  };

  /** Records the exit of the deploy command: non-zero fails; zero is live unless a status command decides. */
  const settle = (ctx: ProviderContext, id: string, proc: ShellProcess) =>
    proc.exited.then((exit) => {
      RUNNING.delete(id);
      const dir = dirOf(ctx);
      if (findRecord(dir, id)?.state !== 'deploying') return;
      const at = new Date(ctx.now()).toISOString();
      if (exit.code !== 0) {
        const tail = tailLog(dir, id, TAIL_LINES);
        const reason = `the deploy command ${describeExit(exit)}${tail.length ? `; last output:\n${tail.join('\n')}` : ''}`;
        patchRecord(dir, id, { state: 'failed', reason, finishedAt: at });
      } else if (settings.status) patchRecord(dir, id, { commandDone: true });
      else patchRecord(dir, id, { state: 'live', finishedAt: at });
    });

  /** Asks the status command; a terminal answer is recorded. */
  const askStatus = async (ctx: ProviderContext, rec: CommandRecord): Promise<DeployState | undefined> => {
    if (!settings.status) return undefined;
    const output: string[] = [];
    const proc = startShell(settings.status, {
      cwd: cwdOf(ctx),
      env: envOf(ctx, {
        OPSBOOK_DEPLOY_ID: rec.id,
        OPSBOOK_COMMIT: rec.commit,
        OPSBOOK_VERSION: rec.version,
      }),
      onLine: (_stream, text) => output.push(text),
    });
    const timer = setTimeout(() => void proc.stop(STOP_GRACE_MS), STATUS_TIMEOUT_MS);
    const onAbort = () => void proc.stop(STOP_GRACE_MS);
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    await proc.exited.finally(() => {
      clearTimeout(timer);
      ctx.signal.removeEventListener('abort', onAbort);
    });
    ctx.signal.throwIfAborted();
    return parseStateWord(output.join('\n'));
  };

  return {
    type: 'command',
    service,
    async preflight(ctx) {
      await checkPrograms(
        service.name,
        [
          { field: 'deploy', command: settings.deploy },
          { field: 'status', command: settings.status },
          { field: 'rollback', command: settings.rollback },
        ],
        cwdOf(ctx),
        envOf(ctx, {}),
      );
    },
    async deploy(request, ctx) {
      ctx.signal.throwIfAborted();
      const { rec, proc } = launch(
        ctx,
        {
          state: 'deploying',
          command: settings.deploy,
          trigger: 'api',
          version: request.version,
          commit: request.commit,
          createdAt: new Date(ctx.now()).toISOString(),
        },
        envOf(ctx, {
          OPSBOOK_ENVIRONMENT: request.environment,
          OPSBOOK_COMMIT: request.commit,
          OPSBOOK_VERSION: request.version,
          OPSBOOK_FOLLOW: request.follow ? '1' : undefined,
          ...request.releaseEnv,
        }),
      );
      void settle(ctx, rec.id, proc);
      return toDeploy(rec);
    },

    async getDeploy(id, ctx) {
      ctx.signal.throwIfAborted();
      const dir = dirOf(ctx);
      const rec = findRecord(dir, id);
      if (!rec) throw new UserError(`no deploy ${id} of ${service.name}`, 'list them with listDeploys');
      if (TERMINAL_STATES.includes(rec.state) || RUNNING.has(id)) return toDeploy(rec);
      // Another opsbook process runs the command: it records the verdict.
      if (!rec.commandDone && rec.runnerPid !== process.pid && isAlive(rec.runnerPid)) return toDeploy(rec);
      // The command exited 0 and the status command decides, or the opsbook that ran it is gone: ask the platform.
      const state = await askStatus(ctx, rec);
      if (state) {
        const end = TERMINAL_STATES.includes(state)
          ? {
              finishedAt: new Date(ctx.now()).toISOString(),
              reason: state === 'failed' ? 'the status command says it failed' : undefined,
            }
          : {};
        return toDeploy(patchRecord(dir, id, { state, ...end }) ?? rec);
      }
      if (rec.commandDone) return toDeploy(rec);
      const at = new Date(ctx.now()).toISOString();
      const reason = `opsbook stopped while the deploy command ran, so its outcome is unknown${
        settings.status ? '' : ' (a provider.status command lets opsbook ask the platform)'
      }`;
      return toDeploy(patchRecord(dir, id, { state: 'failed', reason, finishedAt: at }) ?? rec);
    },

    async listDeploys(ctx, options) {
      ctx.signal.throwIfAborted();
      return listRecords(dirOf(ctx))
        .slice(0, options?.limit ?? 20)
        .map(toDeploy);
    },

    async rollback(targetId, ctx) {
      ctx.signal.throwIfAborted();
      if (!settings.rollback) {
        throw new UserError(
          `service '${service.name}' has no rollback command`,
          `add services.${service.name}.provider.rollback to opsbook.yaml (e.g. "vercel rollback $OPSBOOK_ROLLBACK_TO"); it gets OPSBOOK_ROLLBACK_TO, OPSBOOK_ROLLBACK_COMMIT and OPSBOOK_ROLLBACK_VERSION`,
        );
      }
      const dir = dirOf(ctx);
      // An id opsbook never recorded is passed through: it may be the platform's own (`--to dpl_...`).
      const target = findRecord(dir, targetId);
      const { rec, proc } = launch(
        ctx,
        {
          state: 'deploying',
          command: settings.rollback,
          trigger: 'rollback',
          version: target?.version,
          commit: target?.commit,
          rollbackTo: targetId,
          createdAt: new Date(ctx.now()).toISOString(),
        },
        envOf(ctx, {
          OPSBOOK_ROLLBACK_TO: targetId,
          OPSBOOK_ROLLBACK_COMMIT: target?.commit,
          OPSBOOK_ROLLBACK_VERSION: target?.version,
        }),
      );
      const onAbort = () => void proc.stop(STOP_GRACE_MS);
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      const exit = await proc.exited.finally(() => {
        ctx.signal.removeEventListener('abort', onAbort);
        RUNNING.delete(rec.id);
      });
      const at = new Date(ctx.now()).toISOString();
      if (ctx.signal.aborted) {
        patchRecord(dir, rec.id, { state: 'canceled', reason: 'interrupted', finishedAt: at });
        ctx.signal.throwIfAborted();
      }
      if (exit.code !== 0) {
        const tail = tailLog(dir, rec.id, TAIL_LINES);
        patchRecord(dir, rec.id, {
          state: 'failed',
          reason: `the rollback command ${describeExit(exit)}`,
          finishedAt: at,
        });
        throw new ProviderError(
          'command',
          `rollback of ${service.name} failed: the rollback command ${describeExit(exit)}`,
          undefined,
          tail.join('\n'),
        );
      }
      return toDeploy(patchRecord(dir, rec.id, { state: 'live', finishedAt: at }) ?? rec);
    },

    async logs(id, ctx, cursor) {
      ctx.signal.throwIfAborted();
      return readLog(dirOf(ctx), id, Number(cursor ?? 0) || 0);
    },

    async cancel(id, ctx) {
      const dir = dirOf(ctx);
      const rec = findRecord(dir, id);
      if (rec?.state !== 'deploying') return;
      const proc = RUNNING.get(id);
      patchRecord(dir, id, {
        state: 'canceled',
        reason: 'canceled',
        finishedAt: new Date(ctx.now()).toISOString(),
      });
      if (proc) await proc.stop(STOP_GRACE_MS);
      else if (rec.pid !== undefined) signalGroup(rec.pid, 'SIGTERM');
    },
  };
}
