/**
 * The environment's health now, from each monitor's last result in the schedule (written by whichever
 * instance ran the check), through the same dependency model as `opsbook health`. A result older than
 * three intervals counts as not known: the checks stopped, so it says nothing about now.
 */
import { resolveEnvironment } from '../config/index.js';
import { type DerivedHealth, deriveHealth, type HealthState } from '../health/index.js';
import type { MonitorRecord, SampleOutcome } from '../store/index.js';
import { nowOf, type ServerContext } from './context.js';

export interface MonitorNow {
  id: string;
  name: string;
  kind: MonitorRecord['kind'];
  intervalMs: number;
  /** null: never checked, or the last check is stale. */
  outcome: SampleOutcome | null;
  at: string | null;
  latencyMs: number | null;
  message: string | null;
}

export interface ServiceNow {
  service: string;
  kind: string;
  health: HealthState;
  reasons: string[];
  monitors: MonitorNow[];
}

export interface CurrentHealth {
  stack: DerivedHealth;
  services: Map<string, ServiceNow>;
}

const STALE_INTERVALS = 3;

/** Whether a monitor's last result still says something about now: checked within three intervals. */
export function isFresh(lastAt: number, intervalMs: number, timeoutMs: number, now: number): boolean {
  return lastAt >= now - STALE_INTERVALS * intervalMs - timeoutMs;
}

export async function readCurrentHealth(ctx: ServerContext): Promise<CurrentHealth> {
  const now = nowOf(ctx);
  const services = resolveEnvironment(ctx.config, ctx.environment);
  const records = await ctx.store.monitoring.listMonitors({ environment: ctx.environment });
  const monitorsOf = new Map<string, MonitorNow[]>();
  for (const r of records) {
    const fresh = r.last && isFresh(Date.parse(r.last.at), r.intervalMs, r.timeoutMs, now);
    const list = monitorsOf.get(r.service) ?? [];
    list.push({
      id: r.id,
      name: r.name,
      kind: r.kind,
      intervalMs: r.intervalMs,
      outcome: fresh ? r.last!.outcome : null,
      at: r.last?.at ?? null,
      latencyMs: r.last?.latencyMs ?? null,
      message: fresh ? r.last!.message : null,
    });
    monitorsOf.set(r.service, list);
  }

  const model = deriveHealth(
    services.map((s) => ({
      service: s.name,
      own: ownState(monitorsOf.get(s.name) ?? []),
      dependencies: s.dependencies,
    })),
  );
  const out = new Map<string, ServiceNow>();
  for (const s of services) {
    const derived = model.services[s.name] ?? { state: 'unknown' as const, reasons: [] };
    out.set(s.name, {
      service: s.name,
      kind: s.kind,
      health: derived.state,
      reasons: derived.reasons,
      monitors: monitorsOf.get(s.name) ?? [],
    });
  }
  return { stack: model.stack, services: out };
}

/** As `ownHealth` does for probe results: any down is unhealthy, any degraded is degraded. */
function ownState(monitors: readonly MonitorNow[]): { state: HealthState; reasons: string[] } {
  const known = monitors.filter((m) => m.outcome !== null);
  if (!known.length) return { state: 'unknown', reasons: monitors.length ? ['no recent check'] : [] };
  const explain = (m: MonitorNow) => `${m.name}: ${m.message ?? m.outcome}`;
  const down = known.filter((m) => m.outcome === 'down');
  if (down.length) return { state: 'unhealthy', reasons: down.map(explain) };
  const degraded = known.filter((m) => m.outcome === 'degraded');
  if (degraded.length) return { state: 'degraded', reasons: degraded.map(explain) };
  return { state: 'healthy', reasons: [] };
}
