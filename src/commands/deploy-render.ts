/** How `opsbook deploy` and `opsbook verify` print: the plan, the progress events and the outcome. */
import type { DeployRun } from '../app/deploy.js';
import type { DeployPlan, DeployProgress } from '../deploy/index.js';
import type { Output } from '../output/index.js';
import { formatElapsed } from '../timing/index.js';

export function progressPrinter(out: Output): (p: DeployProgress) => void {
  return (p) => {
    switch (p.type) {
      case 'phase':
        out.note(`▸ ${p.message}`);
        break;
      case 'service':
        out.note(`  ${p.service}: ${p.message}`);
        break;
      case 'log':
        if (p.kind !== 'plain')
          out.note(
            `  ${p.service} │ ${p.kind === 'trouble' ? out.style('red', p.line) : out.style('green', p.line)}`,
          );
        break;
      case 'measurement': {
        const mark =
          p.outcome === 'successful'
            ? out.style('green', '✓')
            : p.outcome === 'failed'
              ? out.style('red', '✗')
              : out.style('yellow', '?');
        out.note(`  ${mark} measurement ${p.index + 1}/${p.count}: ${p.detail}`);
        break;
      }
    }
  };
}

export function printPlan(out: Output, plan: DeployPlan): void {
  out.heading(
    `Plan: deploy ${plan.stack} to ${plan.environment}${plan.commit ? ` at ${plan.commit.slice(0, 12)}` : ''}`,
  );
  out.line(`  1. lock ${plan.environment}`);
  if (plan.announce?.events.includes('start'))
    out.line(
      `     announce the start on ${plan.announce.channels.join(', ') || 'no channel'}${plan.announce.leadTimeMs ? `; production changes ${formatElapsed(plan.announce.leadTimeMs)} later (announcements.leadTime; gates run meanwhile)` : ''}`,
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
    out.line(`     ${name}: no health endpoint or smoke request; only its platform deploy state is checked`);
  if (plan.verify.warning) out.warn(`verification: ${plan.verify.warning}`);
  out.line(
    `  ${5 + plan.groups.length}. on failure: ${plan.rollback.automatic ? `roll back automatically on ${plan.rollback.on.join(', ')}` : 'ask a person'}`,
  );
}

export function printDeployRun(out: Output, result: DeployRun): void {
  const environment = result.plan.environment;
  if (result.status === 'succeeded') out.success(result.message);
  else if (result.status === 'locked') out.error(result.message, result.lockHint);
  else if (result.status === 'rolled-back')
    out.warn(
      `${result.message}. ${result.locked ? `${environment} stays locked: fix, then 'opsbook unlock --env ${environment}'` : ''}`,
    );
  else out.error(result.message);
  if (result.runId) out.note(`run ${result.runId}: 'opsbook log --run ${result.runId}' shows the record`);
}
