/**
 * Log signals during the bake window. A trouble line that matches a rollback criterion applies it as it
 * happens: rollback or ask end verification now, ignore drops the line. Other trouble lines fail the
 * measurement when the policy rolls back on `trouble-log`, else make it inconclusive. A service that declares
 * success lines and printed none by the window's last measurement fails that measurement. Everything seen
 * lands in the run's issues, for the deployment log.
 */
import type { StackConfig } from '../config/index.js';
import { ProviderError } from '../errors.js';
import type { AnalysisOutcome, CheckOutcome } from '../verify/analysis.js';
import type { VerifyTarget } from './context.js';
import { compileLogSignals } from './log-signals.js';
import type { PhaseContext } from './phase.js';

type Criterion = NonNullable<StackConfig['rollback']>['criteria'][number];

export interface LogRound {
  checks: CheckOutcome[];
  stop?: { outcome: AnalysisOutcome; reason: string };
}

function criterionFor(config: StackConfig, line: string): Criterion | undefined {
  const matched = (config.rollback?.criteria ?? []).filter((c) => c.logs?.some((p) => line.includes(p)));
  for (const action of ['rollback', 'ask', 'ignore'] as const) {
    const c = matched.find((m) => m.action === action);
    if (c) return c;
  }
  return undefined;
}

/** One round of log reading per measurement; `last` marks the window's final measurement. */
export function createLogRounds(ctx: PhaseContext, targets: VerifyTarget[]) {
  const { options, journal } = ctx;
  const { state } = journal;
  const cursors = new Map<string, string | undefined>();
  const troubleFails = state.plan.rollback.on.includes('trouble-log');
  const issue = (text: string) => {
    state.issues ??= [];
    if (!state.issues.includes(text) && state.issues.length < 20) state.issues.push(text);
  };
  return async (last: boolean): Promise<LogRound> => {
    const round: LogRound = { checks: [] };
    for (const t of targets) {
      const name = t.service.name;
      const svc = state.services[name]!;
      const provider = options.providerFor(t.service);
      if (!provider.logs || !svc.deploy) continue;
      const signals = compileLogSignals(t.service);
      let page: Awaited<ReturnType<NonNullable<typeof provider.logs>>>;
      try {
        page = await ctx.external(() => provider.logs!(svc.deploy!.id, ctx.providerCtx, cursors.get(name)));
      } catch (error) {
        if (!(error instanceof ProviderError)) throw error;
        // Lines nobody looks for: nothing is missed.
        if (!t.service.logs?.success?.length && !t.service.logs?.trouble?.length) continue;
        // Unread lines prove nothing either way: the measurement cannot count as good on them, nor as failed.
        const detail = `log lines could not be read (${error.message})`;
        issue(`${name}: ${detail}`);
        round.checks.push({ name: `${name}:logs`, outcome: 'inconclusive', detail });
        continue;
      }
      const { lines, cursor } = page;
      cursors.set(name, cursor ?? cursors.get(name));
      svc.successLines.push(
        ...lines
          .filter((l) => signals.success(l.text))
          .map((l) => l.text)
          .slice(0, 5),
      );
      for (const line of lines.filter((l) => signals.trouble(l.text)).map((l) => l.text)) {
        const c = criterionFor(options.config, line);
        issue(`${name}: trouble in the logs: ${line}${c ? ` (criterion "${c.reason}": ${c.action})` : ''}`);
        if (c?.action === 'ignore') continue;
        if (svc.troubleLines.length < 20) svc.troubleLines.push(line);
        const detail = `trouble in the logs: ${line}`;
        if (c) {
          round.checks.push({ name: `${name}:logs`, outcome: 'failed', detail });
          round.stop ??= {
            outcome: 'failed',
            reason: `${name}: ${detail} (rollback criterion "${c.reason}")`,
          };
        } else
          round.checks.push({
            name: `${name}:logs`,
            outcome: troubleFails ? 'failed' : 'inconclusive',
            detail,
          });
      }
      const expectsSuccess = (t.service.logs?.success ?? []).length > 0;
      if (last && expectsSuccess && !svc.successLines.length) {
        const detail = 'no success line in the logs within the bake window';
        issue(`${name}: ${detail}`);
        round.checks.push({ name: `${name}:logs:success`, outcome: 'failed', detail });
      }
    }
    return round;
  };
}
