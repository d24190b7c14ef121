/** The jobs `serve` schedules: every backup entry, its restore drill, and maintenance tasks that run themselves. */
import { backupRun, backupVerify } from '../backups/index.js';
import type { StackConfig } from '../config/index.js';
import { notifyDueTasks, runTask } from '../maintenance/index.js';
import { parseSchedule } from '../schedule/index.js';
import type { Store } from '../store/index.js';
import type { ScheduledJob } from './runner.js';

export interface JobContext {
  cwd: string;
  config: StackConfig;
  env: NodeJS.ProcessEnv;
  store: Store;
  /** The environment serve watches: where maintenance notifications are enqueued. */
  environment?: string;
  log?: (level: 'warn' | 'error', message: string) => void;
}

export function jobsFromConfig(ctx: JobContext): ScheduledJob[] {
  const jobs: ScheduledJob[] = [];
  const base = { cwd: ctx.cwd, config: ctx.config, env: ctx.env, store: ctx.store };
  for (const b of ctx.config.backups.filter((e) => !e.managed)) {
    jobs.push({
      name: `backup:${b.id}`,
      schedule: parseSchedule(b.schedule, b.timezone),
      async run(signal) {
        const s = await backupRun({ ...base, signal }, b.id);
        if (!s.result.ok) ctx.log?.('error', `backup ${b.id} failed: ${s.result.error}`);
        else if (s.pruneError)
          ctx.log?.('warn', `backup ${b.id} kept, but its retention failed: ${s.pruneError}`);
      },
    });
    if (b.verify?.restore)
      jobs.push({
        name: `backup-verify:${b.id}`,
        schedule: parseSchedule(b.verify.every, b.timezone),
        async run(signal) {
          const v = await backupVerify({ ...base, signal }, b.id);
          if (!v.ok) ctx.log?.('error', `restore drill of ${b.id} failed: ${v.problems.join('; ')}`);
        },
      });
  }
  for (const t of ctx.config.maintenance.filter((task) => task.check || task.run))
    jobs.push({
      name: `maintenance:${t.id}`,
      schedule: parseSchedule(t.every, t.timezone),
      async run(signal) {
        const c = await runTask({ ...base, actor: 'opsbook serve', signal }, t.id);
        if (!c.ok) ctx.log?.('warn', `maintenance ${t.id}: ${c.evidence?.summary ?? 'failed'}`);
      },
    });
  if (ctx.config.maintenance.length && ctx.environment) {
    const environment = ctx.environment;
    // Every 15 minutes: a task's own run at its occurrence comes first, so only what is still due is told.
    jobs.push({
      name: 'maintenance-due',
      schedule: parseSchedule('*/15 * * * *'),
      async run(signal) {
        await notifyDueTasks({ ...base, actor: 'opsbook serve', signal, environment });
      },
    });
  }
  return jobs;
}
