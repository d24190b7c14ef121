/**
 * One monitor per upstream status page, run by the monitor engine like any check (schedule, history,
 * team-mode leases): `up` while the components that count are operational, `degraded` for degraded
 * performance or maintenance, `down` for a partial or major outage or a page that cannot be read. Its
 * message is what an incident's timeline shows, e.g. `Render: partial outage (Web Services)`.
 */
import { parseDuration, type StackConfig, type Upstream } from '../config/index.js';
import type { Monitor } from '../monitors/index.js';
import type { ProbeResult } from '../probes/index.js';
import { readStatuspage, summaryUrl, upstreamState } from './statuspage.js';

/** Upstream monitors are not our services: their own `service` name, which no service id can take. */
export const upstreamService = (id: string) => `upstream:${id}`;
export const upstreamName = (u: Upstream) => u.name ?? u.id;

export function upstreamMonitors(options: {
  config: StackConfig;
  environment: string;
  fetch?: typeof fetch;
  now?: () => number;
}): Monitor[] {
  const now = options.now ?? Date.now;
  return options.config.upstreams.map((u) => ({
    id: `${options.environment}:${upstreamService(u.id)}:statuspage`,
    environment: options.environment,
    service: upstreamService(u.id),
    name: 'statuspage',
    kind: 'statuspage' as const,
    target: `GET ${summaryUrl(u.statusPage)}`,
    intervalMs: parseDuration(u.interval),
    timeoutMs: 10_000,
    retries: 0,
    async check(ctx): Promise<ProbeResult> {
      const started = now();
      const read = await readStatuspage(u.statusPage, {
        fetch: options.fetch ?? ctx.fetch ?? fetch,
        signal: ctx.signal,
        timeoutMs: 10_000,
      });
      const state = read.ok
        ? upstreamState(upstreamName(u), read.summary, u.components)
        : { outcome: 'down' as const, message: `${upstreamName(u)}: status page unreadable: ${read.error}` };
      return {
        ok: state.outcome !== 'down',
        outcome: state.outcome,
        latencyMs: Math.max(0, now() - started),
        ...(read.ok ? {} : { error: state.message }),
        failures: state.outcome === 'up' ? [] : [state.message],
        warnings: [],
        at: new Date(started).toISOString(),
        attempts: 1,
      };
    },
  }));
}
