/** `opsbook deploy`: flags → the deploy use-case → the plan or the outcome. */
import { deploy } from '../app/deploy.js';
import { parseDuration } from '../config/index.js';
import { EXIT, UserError } from '../errors.js';
import { configFor } from './config.js';
import { printDeployRun, printPlan, progressPrinter } from './deploy-render.js';
import { askFor } from './prompt.js';
import type { DEPLOY_ARGS } from './specs-release.js';
import type { CommandHandler } from './types.js';

function parseLeadTime(text: string): number {
  if (text === '0') return 0;
  try {
    return parseDuration(text);
  } catch {
    throw new UserError(`--lead-time ${text} is not a duration`, 'use 0, 30s, 5m, 1h');
  }
}

export const run: CommandHandler<typeof DEPLOY_ARGS> = async (input) => {
  const loaded = await configFor(input);
  if (loaded.failure) return loaded.failure;
  const leadTime = input.values['lead-time'];
  const ask = askFor(input);
  const result = await deploy({
    cwd: input.cwd,
    env: input.env,
    signal: input.signal,
    redactor: input.out.redactor,
    config: loaded.config,
    environment: input.values.env,
    services: input.values.service,
    commit: input.values.commit,
    follow: input.values.follow,
    version: input.values.version,
    resume: input.values.resume,
    runId: input.values.run,
    skipGates: input.values['skip-gates'],
    noCache: input.values['no-cache'],
    confirmed: input.values.confirm,
    ...(leadTime !== undefined ? { leadTimeMs: parseLeadTime(leadTime) } : {}),
    dryRun: input.values['dry-run'],
    confirm: input.values.yes
      ? undefined
      : async (plan) => {
          if (!ask)
            throw new UserError(
              `deploying ${plan.environment} needs confirmation`,
              'pass --yes in scripts and CI, or --dry-run to see the plan',
            );
          return ask(`Deploy ${plan.groups.flat().join(', ')} to ${plan.environment}?`);
        },
    ask,
    onProgress: progressPrinter(input.out),
    log: (message) => input.out.note(message),
  });
  if (result.status === 'planned')
    return { ok: true, data: { plan: result.plan }, print: (out) => printPlan(out, result.plan) };
  return {
    ok: result.status === 'succeeded',
    exitCode:
      result.status === 'succeeded' ? EXIT.ok : result.status === 'locked' ? EXIT.locked : EXIT.failed,
    data: {
      status: result.status,
      runId: result.runId,
      message: result.message,
      locked: result.locked,
      heldBy: result.heldBy ?? null,
      plan: result.plan,
      state: result.state ?? null,
    },
    print: (out) => printDeployRun(out, result),
  };
};
