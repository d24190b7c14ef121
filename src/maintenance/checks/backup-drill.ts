/** The `backup-drill` check: a restore drill of the newest backup of the task's entry (`backup verify`). */
import { backupVerify } from '../../backups/index.js';
import { formatMs } from '../../timing/index.js';
import type { Evidence } from '../types.js';
import type { CheckContext } from './context.js';

export async function backupDrillCheck(ctx: CheckContext): Promise<Evidence> {
  const v = await backupVerify(
    { cwd: ctx.cwd, config: ctx.config, env: ctx.env, ...(ctx.store ? { store: ctx.store } : {}) },
    ctx.task.backup,
  );
  return {
    ok: v.ok,
    summary: v.ok
      ? `${v.backupId} restored and checked in ${formatMs(v.durationMs)}`
      : `${v.backupId} failed its restore drill`,
    findings: v.problems.map((message) => ({ severity: 'warning' as const, message })),
    data: v,
  };
}
