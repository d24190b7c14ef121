import { resolveEnvironment } from '../config/index.js';
import {
  deliveryMetrics,
  manualRollbacks,
  renderLogEntry,
  renderLogMarkdown,
  toLogEntry,
} from '../deploy/index.js';
import { UserError } from '../errors.js';
import { formatMs } from '../probes/index.js';
import { openStore } from '../store/index.js';
import { flagBool, flagString } from './args.js';
import { configFor } from './config.js';
import { writeOutputFile } from './output-file.js';
import type { CommandHandler } from './types.js';

/** `opsbook log`: the deployment log and the delivery (DORA) metrics computed from it. */
export const run: CommandHandler = async (input) => {
  const loaded = await configFor(input);
  if (loaded.failure) return loaded.failure;
  const { config } = loaded;
  const environment = flagString(input, 'env');
  const limit = Number(flagString(input, 'limit') ?? 20);
  if (!Number.isInteger(limit) || limit < 1) throw new UserError('--limit must be a positive whole number');
  const days = Number(flagString(input, 'days') ?? 30);
  if (!Number.isInteger(days) || days < 1) throw new UserError('--days must be a positive whole number');
  if (environment) resolveEnvironment(config, environment);
  const store = await openStore({ cwd: input.cwd, env: input.env, redactor: input.out.redactor });
  try {
    const runId = flagString(input, 'run');
    const runs = runId
      ? [await store.getRun(runId)].filter((r) => r !== undefined)
      : await store.listRuns({ kind: 'deploy', environment, limit: 500 });
    if (runId && !runs.length) throw new UserError(`no run ${runId}`, "run 'opsbook log' to list runs");
    // Manual rollbacks undo deploys: the log says so on the deploy, and the metrics count it as a failed change.
    const rollbacks = await store.listRuns({ kind: 'rollback', environment, limit: 500 });
    const deploys = runId ? await store.listRuns({ kind: 'deploy', environment, limit: 500 }) : runs;
    const undone = manualRollbacks(deploys, rollbacks);
    const branchOf = (env: string) => config.environments[env]?.branch ?? config.deploy.branch;
    const entries = runs
      .slice(0, limit)
      .flatMap((r) => toLogEntry(r, branchOf(r.environment ?? 'production'), undone.get(r.id)) ?? []);
    const metricsEnv = environment ?? 'production';
    const metrics = deliveryMetrics(
      deploys.filter((r) => r.environment === metricsEnv),
      Date.now(),
      days,
      rollbacks.filter((r) => r.environment === metricsEnv),
    );
    const markdown = flagString(input, 'markdown');
    if (markdown)
      await writeOutputFile(input.cwd, markdown, input.out.redactor.redact(renderLogMarkdown(entries)));
    return {
      ok: true,
      data: { entries, metrics },
      print: (out) => {
        if (!entries.length) out.line('no deployments recorded yet');
        if (flagBool(input, 'full') || runId) for (const e of entries) out.line(`${renderLogEntry(e)}\n`);
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
  } finally {
    await store.close();
  }
};
