/** `opsbook log`: flags → the log use-case → the deployment log and the delivery metrics. */
import { log } from '../app/log.js';
import { renderLogEntry } from '../deploy/index.js';
import { UserError } from '../errors.js';
import { formatMs } from '../timing/index.js';
import { configFor } from './config.js';
import type { LOG_ARGS } from './specs-release.js';
import type { CommandHandler } from './types.js';

export const run: CommandHandler<typeof LOG_ARGS> = async (input) => {
  const loaded = await configFor(input);
  if (loaded.failure) return loaded.failure;
  const environment = input.values.env;
  const limit = Number(input.values.limit ?? 20);
  if (!Number.isInteger(limit) || limit < 1) throw new UserError('--limit must be a positive whole number');
  const days = Number(input.values.days ?? 30);
  if (!Number.isInteger(days) || days < 1) throw new UserError('--days must be a positive whole number');
  const markdown = input.values.markdown;
  const runId = input.values.run;
  const { entries, metrics } = await log({
    cwd: input.cwd,
    env: input.env,
    signal: input.signal,
    redactor: input.out.redactor,
    config: loaded.config,
    environment,
    runId,
    limit,
    days,
    markdown,
  });
  return {
    ok: true,
    data: { entries, metrics },
    print: (out) => {
      if (!entries.length) out.line('no deployments recorded yet');
      if (input.values.full || runId) for (const e of entries) out.line(`${renderLogEntry(e)}\n`);
      else
        out.table(entries, [
          { header: 'DATE (UTC)', value: (e) => e.date.replace('T', ' ').slice(0, 16) },
          { header: 'ENV', value: (e) => e.environment },
          { header: 'STATUS', value: (e) => e.status },
          { header: 'COMMIT', value: (e) => e.commit?.slice(0, 8) ?? '-' },
          { header: 'SERVICES', value: (e) => e.services.join('+') },
          { header: 'DURATION', value: (e) => (e.durationMs === null ? '-' : formatMs(e.durationMs)) },
          { header: 'BY', value: (e) => e.deployer },
          { header: 'RUN', value: (e) => e.runId },
        ]);
      const m = metrics;
      out.line('');
      out.heading(`Delivery metrics (${environment ?? 'production'}, last ${m.windowDays} days)`);
      out.line(`  deploy frequency      ${m.deployFrequencyPerDay.toFixed(2)} per day`);
      out.line(
        `  lead time for changes ${m.leadTimeMedianMs === null ? 'n/a' : formatMs(m.leadTimeMedianMs)} (median)`,
      );
      out.line(
        `  change failure rate   ${m.changeFailureRate === null ? 'n/a' : `${(m.changeFailureRate * 100).toFixed(0)}%`}`,
      );
      out.line(
        `  time to restore       ${m.timeToRestoreMedianMs === null ? 'n/a' : formatMs(m.timeToRestoreMedianMs)} (median)`,
      );
      if (markdown) out.note(`deployment log written to ${markdown}`);
    },
  };
};
