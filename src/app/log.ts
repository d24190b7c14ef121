/** The log use-case: the deployment log and the delivery (DORA) metrics computed from it. */
import { resolveEnvironment } from '../config/index.js';
import {
  type DeliveryMetrics,
  deliveryMetrics,
  type LogEntry,
  manualRollbacks,
  renderLogMarkdown,
  toLogEntry,
} from '../deploy/index.js';
import { UserError } from '../errors.js';
import type { Store } from '../store/index.js';
import { type ConfigOptions, configOf, resolveOptions, withStore } from './context.js';
import { writeOutputFile } from './output-file.js';

export interface LogOptions extends ConfigOptions {
  /** Only this environment's deploys (default: every environment; the metrics are production's). */
  environment?: string;
  /** One run only. */
  runId?: string;
  /** Newest entries shown (default 20). */
  limit?: number;
  /** The metrics window in days (default 30). */
  days?: number;
  /** Also write the log as markdown to this file (relative to `cwd`). */
  markdown?: string;
  store?: Store;
  now?: () => number;
}

export interface LogResult {
  entries: LogEntry[];
  metrics: DeliveryMetrics;
}

export async function log(options: LogOptions): Promise<LogResult> {
  const base = resolveOptions(options);
  const config = await configOf(options, base);
  const { environment, runId } = options;
  const limit = options.limit ?? 20;
  const days = options.days ?? 30;
  if (environment) resolveEnvironment(config, environment);
  const { entries, metrics } = await withStore(options.store, base, async (store) => {
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
      (options.now ?? Date.now)(),
      days,
      rollbacks.filter((r) => r.environment === metricsEnv),
    );
    return { entries, metrics };
  });
  if (options.markdown)
    await writeOutputFile(base.cwd, options.markdown, base.redactor.redact(renderLogMarkdown(entries)));
  return { entries, metrics };
}
