/**
 * The status use-case: the architecture table of an environment, live: services, platform, URL, dependencies,
 * health from one quick round of probes, the deploy that serves, the lock, maintenance due and open windows.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { resolveEnvironment, type StackConfig } from '../config/index.js';
// The lock, journal and run readers only: deploy/index.js would load providers, notifiers and their drivers.
import { readState } from '../deploy/journal.js';
import { describeLock } from '../deploy/locks.js';
import { isResumable } from '../deploy/start-run.js';
import { maintenanceDue } from '../maintenance/operations.js';
import { taskStatus } from '../maintenance/task-state.js';
import type { TaskStatus } from '../maintenance/types.js';
import { activeWindows, type MaintenanceWindow } from '../maintenance-windows/index.js';
import { DATABASE_URL_VAR, openStore, SQLITE_PATH, type Store } from '../store/index.js';
import { type ConfigOptions, configOf, resolveOptions } from './context.js';

const STATUS_PROBE_BUDGET_MS = 5000;

export interface StatusOptions extends ConfigOptions {
  /** Default: production. */
  environment?: string;
  /** Do not probe the services: config and recorded state only. */
  offline?: boolean;
  /** The state store (default: the project's, only if it exists: a status never creates one). */
  store?: Store;
  now?: () => Date;
}

export interface ServiceStatus {
  service: string;
  kind: string;
  platform: string;
  url: string | null;
  dependsOn: { service: string; critical: boolean }[];
  /** The configured endpoints, e.g. `readiness /ready`. */
  endpoints: string[];
  /** Live state from one round of probes; absent with --offline. */
  health?: { state: string; reasons: string[] };
  /** The deploy that serves now, from the last succeeded deploy run. */
  /** The last verified-good release, or a later one that went live unverified and was never rolled back. */
  lastDeploy?: { id: string; at: string; commit: string | null; unverified?: true } | null;
}

export interface DeployStatusInfo {
  lock: { holder: string; reason: string | null; since: string; processGone: boolean } | null;
  lastRun: {
    id: string;
    kind: string;
    status: string;
    startedAt: string;
    phase: string | null;
    stoppedAt: string | null;
  } | null;
}

export interface StatusResult {
  stack: string;
  environment: string;
  services: ServiceStatus[];
  deploy?: DeployStatusInfo;
  /** Maintenance tasks due or overdue (never done counts), and the windows open now. */
  maintenance?: { due: TaskStatus[]; windows: MaintenanceWindow[] };
}

/** The environment's lock and its latest deploy or rollback run: where a killed run stopped. */
export async function deployStatus(store: Store, environment: string): Promise<DeployStatusInfo> {
  const held = await describeLock(store, environment);
  const [deploy] = await store.listRuns({ kind: 'deploy', environment, limit: 1 });
  const [rollback] = await store.listRuns({ kind: 'rollback', environment, limit: 1 });
  const last = [deploy, rollback]
    .filter((r) => r !== undefined)
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0];
  let stoppedAt: string | null = null;
  if (last && isResumable(last.status)) {
    const steps = await store.listSteps(last.id);
    const open = steps.find((s) => s.status === 'running') ?? steps.at(-1);
    stoppedAt = open ? `${open.name} (${open.status})` : null;
  }
  return {
    lock: held
      ? {
          holder: held.lock.holder,
          reason: held.lock.reason,
          since: held.lock.acquiredAt,
          processGone: held.dead,
        }
      : null,
    lastRun: last
      ? {
          id: last.id,
          kind: last.kind,
          status: last.status,
          startedAt: last.startedAt,
          phase: readState(last)?.phase ?? null,
          stoppedAt,
        }
      : null,
  };
}

/**
 * Releases a later deploy put live that failed and were never rolled back (nothing before them to go back to, or a
 * rollback declined): they serve now, so the table must not show the older verified one as what runs.
 */
async function strandedReleases(
  store: Store,
  environment: string,
  after: string | undefined,
): Promise<Map<string, NonNullable<ServiceStatus['lastDeploy']>>> {
  const out = new Map<string, NonNullable<ServiceStatus['lastDeploy']>>();
  const [last] = await store.listRuns({ kind: 'deploy', environment, limit: 1 });
  if (!last || last.status === 'succeeded' || last.status === 'running') return out;
  if (after && last.startedAt <= after) return out;
  // A manual rollback since then put something else back.
  const [rollback] = await store.listRuns({ kind: 'rollback', environment, limit: 1 });
  if (rollback && rollback.startedAt > last.startedAt) return out;
  const state = readState(last);
  for (const [service, st] of Object.entries(state?.services ?? {}))
    if (state && st.deploy?.state === 'live' && !st.rollback)
      out.set(service, {
        id: st.deploy.id,
        at: state.times.liveAt ?? last.startedAt,
        commit: state.commit,
        unverified: true,
      });
  return out;
}

/** The runbooks' architecture table, for one environment, from the config alone. */
function architecture(config: StackConfig, environment: string): StatusResult {
  const services = resolveEnvironment(config, environment).map((s) => ({
    service: s.name,
    kind: s.kind,
    platform: s.platform ?? s.provider?.type ?? '-',
    url: s.url ?? null,
    dependsOn: s.dependencies,
    endpoints: s.health.map((h) => `${h.type} ${h.path ?? h.url}`),
  }));
  return { stack: config.name, environment, services };
}

export async function status(options: StatusOptions): Promise<StatusResult> {
  const base = resolveOptions(options);
  const config = await configOf(options, base);
  const result = architecture(config, options.environment ?? 'production');
  const now = options.now?.() ?? new Date();
  // Only read state that exists: `status` must not create a store in a fresh checkout.
  const store =
    options.store ??
    (base.env[DATABASE_URL_VAR] || existsSync(join(base.cwd, SQLITE_PATH))
      ? await openStore({ cwd: base.cwd, env: base.env, redactor: base.redactor })
      : undefined);
  if (store) {
    try {
      result.deploy = await deployStatus(store, result.environment);
      result.maintenance = {
        due: await maintenanceDue({ cwd: base.cwd, config, env: base.env, store, actor: null }),
        windows: await activeWindows({ config, store }, result.environment),
      };
      const [good] = await store.listRuns({
        kind: 'deploy',
        environment: result.environment,
        status: 'succeeded',
        limit: 1,
      });
      const state = good ? readState(good) : undefined;
      for (const s of result.services) {
        const d = state?.services[s.service]?.deploy;
        if (state && d)
          s.lastDeploy = {
            id: d.id,
            at: state.times.verifiedAt ?? good!.finishedAt ?? good!.startedAt,
            commit: state.commit,
          };
      }
      const stranded = await strandedReleases(store, result.environment, good?.startedAt);
      for (const s of result.services) s.lastDeploy = stranded.get(s.service) ?? s.lastDeploy;
    } finally {
      if (!options.store) await store.close();
    }
  }
  // No store yet: nothing was ever done, so every task is due.
  result.maintenance ??= {
    due: config.maintenance.map((t) => taskStatus(t, null, now)).filter((t) => t.state !== 'ok'),
    windows: [],
  };
  if (!options.offline) {
    // Probes and their drivers load only when they run.
    const { checkHealth } = await import('../health/index.js');
    // One quick round of probes; a host that does not answer must not hold the table up for long.
    const report = await checkHealth({
      config,
      environment: result.environment,
      env: base.env,
      signal: AbortSignal.any([base.signal, AbortSignal.timeout(STATUS_PROBE_BUDGET_MS)]),
      redactor: base.redactor,
      types: ['liveness', 'readiness'],
    });
    for (const s of result.services) {
      const h = report.services.find((x) => x.service === s.service);
      if (h) s.health = { state: h.state, reasons: h.reasons };
    }
  }
  return result;
}
