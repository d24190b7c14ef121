/**
 * `opsbook maintenance list|due|run|done`: task states from the completions recorded in the store, running a
 * task's check or command, and recording a person's completion of a checklist. Every completion is a run of kind
 * `maintenance` whose summary is the evidence.
 */
import { spawn } from 'node:child_process';
import type { StackConfig } from '../config/index.js';
import { UserError } from '../errors.js';
import { printable } from '../output/index.js';
import type { Store } from '../store/index.js';
import { taskStatus } from './task-state.js';
import type { Completion, Evidence, MaintenanceTask, TaskStatus } from './types.js';

export interface MaintenanceContext {
  cwd: string;
  config: StackConfig;
  env: NodeJS.ProcessEnv;
  store: Store;
  actor: string | null;
  now?: () => Date;
  signal?: AbortSignal;
}

const KIND = 'maintenance';

export function findTask(config: StackConfig, id: string): MaintenanceTask {
  const task = config.maintenance.find((t) => t.id === id);
  if (!task)
    throw new UserError(
      `no maintenance task '${id}'`,
      `configured: ${config.maintenance.map((t) => t.id).join(', ') || 'none (add maintenance: to opsbook.yaml)'}`,
    );
  return task;
}

/** The newest completion of each task (`last`), and the newest that passed (`ok`). */
async function lastCompletions(
  store: Store,
): Promise<{ last: Map<string, Completion>; ok: Map<string, Completion> }> {
  const runs = await store.listRuns({ kind: KIND, limit: 1000 });
  const last = new Map<string, Completion>();
  const ok = new Map<string, Completion>();
  for (const r of runs) {
    const c = r.summary as unknown as Completion | null;
    if (!c?.task) continue;
    if (!last.has(c.task)) last.set(c.task, c);
    if (c.ok && !ok.has(c.task)) ok.set(c.task, c);
  }
  return { last, ok };
}

export async function maintenanceStatus(ctx: MaintenanceContext): Promise<TaskStatus[]> {
  const { last, ok } = await lastCompletions(ctx.store);
  const now = ctx.now?.() ?? new Date();
  return ctx.config.maintenance.map((t) => taskStatus(t, last.get(t.id) ?? null, now, ok.get(t.id) ?? null));
}

export async function maintenanceDue(ctx: MaintenanceContext): Promise<TaskStatus[]> {
  return (await maintenanceStatus(ctx)).filter((s) => s.state !== 'ok');
}

async function record(ctx: MaintenanceContext, completion: Completion): Promise<Completion> {
  const now = ctx.now?.() ?? new Date();
  const run = await ctx.store.createRun({ kind: KIND, actor: ctx.actor, startedAt: completion.at });
  await ctx.store.updateRun(run.id, {
    status: completion.ok ? 'succeeded' : 'failed',
    finishedAt: now.toISOString(),
    summary: JSON.parse(JSON.stringify(completion)),
  });
  return completion;
}

function runCommand(command: string, ctx: MaintenanceContext): Promise<Evidence> {
  return new Promise((done) => {
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(command, {
        cwd: ctx.cwd,
        env: ctx.env,
        shell: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      // spawn throws before starting anything for a NUL byte in the command: a "\0" (or "\033") escape in a
      // double-quoted YAML string writes one. A task that cannot start is a failed run, not a crash.
      const nul = command.includes('\0');
      done({
        ok: false,
        summary: nul
          ? `\`${printable(command)}\` could not start: it contains a NUL byte`
          : `could not start: ${(error as Error).message}`,
        findings: nul
          ? [
              {
                severity: 'warning',
                message:
                  'in opsbook.yaml, write the run: command in single quotes or plain, or escape as \\e / \\x1b rather than \\0 or \\033',
              },
            ]
          : [],
      });
      return;
    }
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('error', (e) => done({ ok: false, summary: `could not start: ${e.message}`, findings: [] }));
    child.on('close', (code, signal) => {
      const tail = printable(output.trim().split('\n').slice(-5).join('\n'), { newlines: true });
      done({
        ok: code === 0,
        // Killed (the OOM killer, a timeout wrapper): there is no exit code to show.
        summary: `\`${command}\` ${code === null ? `was killed by ${signal ?? 'a signal'}` : `exited with ${code}`}`,
        findings: code === 0 ? [] : [{ severity: 'warning', message: tail || 'it printed nothing' }],
        data: { exitCode: code, output },
      });
    });
  });
}

/** Runs the task's built-in check or command and records the evidence. A checklist-only task needs `done`. */
export async function runTask(ctx: MaintenanceContext, id: string): Promise<Completion> {
  const task = findTask(ctx.config, id);
  const started = ctx.now?.() ?? new Date();
  if (!task.check && !task.run)
    throw new UserError(
      `'${id}' is a checklist for a person: nothing to run`,
      `do it, then record it with \`opsbook maintenance done ${id}\``,
    );
  const previous = (await lastCompletions(ctx.store)).last.get(id);
  // The checks (and their drivers: pg, S3, TLS) load only when a task runs; status reads due dates without them.
  const evidence = task.check
    ? await (await import('./checks/index.js')).BUILT_IN_CHECKS[task.check]({
        task,
        config: ctx.config,
        cwd: ctx.cwd,
        env: ctx.env,
        store: ctx.store,
        now: started,
        ...(previous?.evidence ? { previous: previous.evidence, previousAt: previous.at } : {}),
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      }).catch(
        (error: Error): Evidence => ({
          ok: false,
          summary: `the check could not run: ${error.message}`,
          findings: [],
        }),
      )
    : await runCommand(task.run!, ctx);
  return record(ctx, {
    task: id,
    at: started.toISOString(),
    by: ctx.actor,
    via: task.check ? 'check' : 'run',
    ok: evidence.ok,
    evidence,
  });
}

/** A person's record that the task was done; the checklist is kept with it as the evidence. */
export async function markDone(ctx: MaintenanceContext, id: string, note?: string): Promise<Completion> {
  const task = findTask(ctx.config, id);
  const at = (ctx.now?.() ?? new Date()).toISOString();
  return record(ctx, {
    task: id,
    at,
    by: ctx.actor,
    via: 'done',
    ok: true,
    evidence: {
      ok: true,
      summary: `confirmed by ${ctx.actor ?? 'unknown'}`,
      findings: (task.checklist ?? []).map((message) => ({
        severity: 'info' as const,
        message: `done: ${message}`,
      })),
    },
    ...(note ? { note } : {}),
  });
}
