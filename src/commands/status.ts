import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { resolveEnvironment, type StackConfig } from '../config/index.js';
// The lock and journal readers only: deploy/index.js would load providers, notifiers and their drivers.
import { readState } from '../deploy/journal.js';
import { describeLock } from '../deploy/locks.js';
import { maintenanceDue, type TaskStatus, taskStatus } from '../maintenance/index.js';
import { activeWindows, type MaintenanceWindow } from '../maintenance-windows/index.js';
import type { Output } from '../output/index.js';
import { DATABASE_URL_VAR, openStore, SQLITE_PATH, type Store } from '../store/index.js';
import { flagBool, flagString } from './args.js';
import { configFor } from './config.js';
import type { CommandHandler } from './types.js';

const STATUS_PROBE_BUDGET_MS = 5000;

function healthText(out: Output, h: { state: string; reasons: string[] }): string {
  const color =
    h.state === 'healthy'
      ? 'green'
      : h.state === 'degraded'
        ? 'yellow'
        : h.state === 'unhealthy'
          ? 'red'
          : 'dim';
  const why =
    h.state === 'healthy' || !h.reasons[0]
      ? ''
      : `: ${h.reasons[0].length > 60 ? `${h.reasons[0].slice(0, 57)}...` : h.reasons[0]}`;
  return `${out.style(color, h.state)}${why}`;
}

export interface StatusOptions {
  config: StackConfig;
  environment?: string;
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
  lastDeploy?: { id: string; at: string; commit: string | null } | null;
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
  if (last && ['running', 'interrupted', 'paused'].includes(last.status)) {
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

/** The runbooks' architecture table, for one environment, from the config alone. */
export function status(options: StatusOptions): StatusResult {
  const environment = options.environment ?? 'production';
  const services = resolveEnvironment(options.config, environment).map((s) => ({
    service: s.name,
    kind: s.kind,
    platform: s.platform ?? s.provider?.type ?? '-',
    url: s.url ?? null,
    dependsOn: s.dependencies,
    endpoints: s.health.map((h) => `${h.type} ${h.path ?? h.url}`),
  }));
  return { stack: options.config.name, environment, services };
}

export const run: CommandHandler = async (input) => {
  const loaded = await configFor(input);
  if (loaded.failure) return loaded.failure;
  const result: StatusResult = status({ config: loaded.config, environment: flagString(input, 'env') });
  // Only read state that exists: `status` must not create a store in a fresh checkout.
  if (input.env[DATABASE_URL_VAR] || existsSync(join(input.cwd, SQLITE_PATH))) {
    const store = await openStore({ cwd: input.cwd, env: input.env, redactor: input.out.redactor });
    try {
      result.deploy = await deployStatus(store, result.environment);
      result.maintenance = {
        due: await maintenanceDue({
          cwd: input.cwd,
          config: loaded.config,
          env: input.env,
          store,
          actor: null,
        }),
        windows: await activeWindows({ config: loaded.config, store }, result.environment),
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
    } finally {
      await store.close();
    }
  }
  // No store yet: nothing was ever done, so every task is due.
  result.maintenance ??= {
    due: loaded.config.maintenance
      .map((t) => taskStatus(t, null, new Date()))
      .filter((t) => t.state !== 'ok'),
    windows: [],
  };
  if (!flagBool(input, 'offline')) {
    // Probes and their drivers load only when they run.
    const { checkHealth } = await import('../health/index.js');
    // One quick round of probes; a host that does not answer must not hold the table up for long.
    const report = await checkHealth({
      config: loaded.config,
      environment: result.environment,
      env: input.env,
      signal: AbortSignal.any([input.signal, AbortSignal.timeout(STATUS_PROBE_BUDGET_MS)]),
      redactor: input.out.redactor,
      types: ['liveness', 'readiness'],
    });
    for (const s of result.services) {
      const h = report.services.find((x) => x.service === s.service);
      if (h) s.health = { state: h.state, reasons: h.reasons };
    }
  }
  return {
    ok: true,
    data: result,
    print: (out) => {
      out.heading(`${result.stack} · ${result.environment}`);
      out.table(result.services, [
        { header: 'SERVICE', value: (s) => s.service },
        { header: 'KIND', value: (s) => s.kind },
        { header: 'PLATFORM', value: (s) => s.platform },
        { header: 'URL', value: (s) => s.url ?? '-' },
        {
          header: 'DEPENDS ON',
          value: (s) =>
            s.dependsOn.map((d) => (d.critical ? d.service : `${d.service} (non-critical)`)).join(', ') ||
            '-',
        },
        { header: 'HEALTH', value: (s) => (s.health ? healthText(out, s.health) : '-') },
        {
          header: 'LAST DEPLOY',
          value: (s) =>
            s.lastDeploy
              ? `${s.lastDeploy.commit?.slice(0, 8) ?? s.lastDeploy.id} ${s.lastDeploy.at.replace('T', ' ').slice(0, 16)}`
              : '-',
        },
      ]);
      const m = result.maintenance;
      for (const w of m?.windows ?? [])
        out.line(
          `\nunder maintenance until ${w.endsAt}: ${w.services.join(', ')}${w.reason ? ` (${w.reason})` : ''}`,
        );
      if (m?.due.length) {
        out.line('');
        out.line(
          `maintenance due: ${m.due.map((t) => `${t.id} (${t.state} since ${t.dueSince?.slice(0, 10) ?? '?'})`).join(', ')}`,
        );
      }
      const d = result.deploy;
      if (d?.lastRun) {
        const r = d.lastRun;
        out.line('');
        out.line(
          `last ${r.kind}: ${r.status} (run ${r.id}, ${r.startedAt.replace('T', ' ').slice(0, 16)} UTC${r.stoppedAt ? `, stopped at ${r.stoppedAt}` : ''})`,
        );
        if (r.status === 'interrupted' || r.status === 'running')
          out.note(
            r.kind === 'rollback'
              ? `'opsbook rollback --resume --env ${result.environment}' finishes it; 'opsbook unlock' gives up on it`
              : "'opsbook deploy --resume' continues it; 'opsbook unlock' gives up on it",
          );
      }
      if (d?.lock)
        out.line(
          `${out.style('yellow', 'locked')}: ${d.lock.reason ?? d.lock.holder}${d.lock.processGone && ['running', 'interrupted'].includes(d.lastRun?.status ?? '') ? ' (its process is gone)' : ''}`,
        );
    },
  };
};
