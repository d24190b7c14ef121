import { parseDuration } from '../config/index.js';
import { type DeployResult, formatDuration, planFor, runDeploy, runIdOfHolder } from '../deploy/index.js';
import { EXIT, UserError } from '../errors.js';
import { openStore, type Store } from '../store/index.js';
import { flagBool, flagList, flagString } from './args.js';
import { configFor } from './config.js';
import { commitInfo, deployOptions } from './deploy-wiring.js';
import { askFor } from './prompt.js';
import type { CommandHandler } from './types.js';

function parseLeadTime(text: string): number {
  if (text === '0') return 0;
  try {
    return parseDuration(text);
  } catch {
    throw new UserError(`--lead-time ${text} is not a duration`, 'use 0, 30s, 5m, 1h');
  }
}

export const run: CommandHandler = async (input) => {
  const loaded = await configFor(input);
  if (loaded.failure) return loaded.failure;
  const { config } = loaded;
  const environment = flagString(input, 'env') ?? 'production';
  const store = await openStore({ cwd: input.cwd, env: input.env, redactor: input.out.redactor });
  try {
    const base = deployOptions(input, config, store, environment);
    let resumeRunId = flagString(input, 'run');
    if (flagBool(input, 'resume') && !resumeRunId) {
      const recent = await store.listRuns({ kind: 'deploy', environment, limit: 20 });
      const latest = recent.find((r) => ['running', 'interrupted', 'paused'].includes(r.status));
      if (!latest)
        throw new UserError(
          `no interrupted or paused deploy of ${environment} to resume`,
          "see 'opsbook log' and 'opsbook status'",
        );
      resumeRunId = latest.id;
    }
    const { commit, commitRange } = await commitInfo(input.cwd, store, environment);
    const leadTime = flagString(input, 'lead-time');
    const options = {
      ...base,
      services: flagList(input, 'service'),
      commit: flagString(input, 'commit') ?? commit,
      commitRange,
      follow: flagBool(input, 'follow') || undefined,
      version: flagString(input, 'version'),
      resumeRunId,
      runGates: flagBool(input, 'skip-gates') ? undefined : base.runGates,
      ...(leadTime !== undefined ? { leadTimeMs: parseLeadTime(leadTime) } : {}),
    };
    const plan = planFor(options);
    if (flagBool(input, 'dry-run'))
      return {
        ok: true,
        data: { plan },
        print: (out) => {
          out.heading(
            `Plan: deploy ${plan.stack} to ${plan.environment}${plan.commit ? ` at ${plan.commit.slice(0, 12)}` : ''}`,
          );
          out.line(`  1. lock ${plan.environment}`);
          if (plan.announce?.events.includes('start'))
            out.line(
              `     announce the start on ${plan.announce.channels.join(', ') || 'no channel'}${plan.announce.leadTimeMs ? `; production changes ${formatDuration(plan.announce.leadTimeMs)} later (announcements.leadTime; gates run meanwhile)` : ''}`,
            );
          out.line(`  2. gates: ${plan.gates.join(', ') || 'none'}`);
          out.line(`  3. migrations: ${plan.migrate}`);
          plan.groups.forEach((g, i) =>
            out.line(
              `  ${4 + i}. deploy ${g.join(' + ')}${g.length > 1 ? ' (in parallel)' : ''}${plan.follow ? ' (follow the platform deploy)' : ''}`,
            ),
          );
          out.line(
            `  ${4 + plan.groups.length}. verify: ${plan.verify.count} measurement(s) every ${plan.verify.intervalMs / 1000}s, up to ${plan.verify.failureLimit} failure(s)`,
          );
          for (const name of plan.verify.unmeasured)
            out.line(
              `     ${name}: no health endpoint or smoke request; only its platform deploy state is checked`,
            );
          if (plan.verify.warning) out.warn(`verification: ${plan.verify.warning}`);
          out.line(
            `  ${5 + plan.groups.length}. on failure: ${plan.rollback.automatic ? `roll back automatically on ${plan.rollback.on.join(', ')}` : 'ask a person'}`,
          );
        },
      };
    if (!resumeRunId && !flagBool(input, 'yes')) {
      const ask = askFor(input);
      if (!ask)
        throw new UserError(
          `deploying ${plan.environment} needs confirmation`,
          'pass --yes in scripts and CI, or --dry-run to see the plan',
        );
      if (!(await ask(`Deploy ${plan.groups.flat().join(', ')} to ${plan.environment}?`)))
        throw new UserError('deploy cancelled');
    }
    const result = await runDeploy(options);
    const hint = await lockedHint(store, result.heldBy);
    const exitCode =
      result.status === 'succeeded' ? EXIT.ok : result.status === 'locked' ? EXIT.locked : EXIT.failed;
    return {
      ok: result.status === 'succeeded',
      exitCode,
      data: {
        status: result.status,
        runId: result.runId,
        message: result.message,
        locked: result.locked,
        heldBy: result.heldBy ?? null,
        plan: result.plan,
        state: result.state ?? null,
      },
      print: (out) => {
        if (result.status === 'succeeded') out.success(result.message);
        else if (result.status === 'locked') out.error(result.message, hint);
        else if (result.status === 'rolled-back')
          out.warn(
            `${result.message}. ${result.locked ? `${plan.environment} stays locked: fix, then 'opsbook unlock --env ${plan.environment}'` : ''}`,
          );
        else out.error(result.message);
        if (result.runId)
          out.note(`run ${result.runId}: 'opsbook log --run ${result.runId}' shows the record`);
      },
    };
  } finally {
    await store.close();
  }
};

/** How to get past the lock: only a deploy that was cut short can be resumed; a rollback's lock is on purpose. */
export async function lockedHint(store: Store, heldBy: DeployResult['heldBy']): Promise<string> {
  if (!heldBy?.dead) return "wait for it, or 'opsbook unlock' if you are sure it is stuck";
  const run = await store.getRun(runIdOfHolder(heldBy.holder));
  if (run && ['running', 'interrupted', 'paused'].includes(run.status)) {
    if (run.kind === 'deploy')
      return "its process is gone: 'opsbook deploy --resume' continues it, 'opsbook unlock' releases it";
    if (run.kind === 'rollback')
      return "its process is gone: 'opsbook rollback --resume' finishes the rollback, 'opsbook unlock' releases it";
  }
  return "'opsbook unlock' releases it";
}
