/** A reachable Redis's live state: memory against maxmemory, evicted keys, connected and blocked clients. */
import { findConnectionUrl } from '../../health/index.js';
import { readRedisInfo } from '../../probes/index.js';
import { type DoctorCheck, type Finding, RANK } from '../types.js';

const mib = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MiB`;

export const redisStateCheck: DoctorCheck = {
  name: 'cache',
  async run(ctx) {
    const findings: Finding[] = [];
    for (const s of ctx.health.services) {
      if (s.kind !== 'cache' || !s.probes.some((p) => p.kind === 'redis' && p.result.ok)) continue;
      const service = ctx.services.find((x) => x.name === s.service)!;
      const source = findConnectionUrl(service, ctx.services, ctx.env);
      if ('reason' in source || source.engine !== 'redis') continue;
      const base = { check: 'cache', service: s.service, rank: RANK.liveState };
      const info = await readRedisInfo(source.url, ctx.signal);
      if (typeof info === 'string') {
        findings.push({
          ...base,
          verdict: 'skipped',
          looked: `INFO of ${s.service}`,
          found: ctx.redactor.redact(info),
        });
        continue;
      }
      const used = Number(info.used_memory ?? 0);
      const max = Number(info.maxmemory ?? 0);
      const full = max > 0 && used / max > 0.9;
      findings.push({
        ...base,
        verdict: full ? 'warning' : 'ok',
        looked: `memory of ${s.service} against maxmemory`,
        found:
          max > 0
            ? `${mib(used)} of ${mib(max)} (${info.maxmemory_policy ?? 'policy unknown'})`
            : `${mib(used)} used, no maxmemory set`,
        ...(full
          ? {
              fix: 'raise maxmemory (a bigger plan) or set TTLs on keys; with noeviction, writes fail once it is full',
            }
          : {}),
      });
      const evicted = Number(info.evicted_keys ?? 0);
      findings.push({
        ...base,
        verdict: evicted > 0 ? 'warning' : 'ok',
        looked: `evictions in ${s.service}`,
        found: evicted > 0 ? `${evicted} key(s) evicted since the server started` : 'no key evicted',
        ...(evicted > 0
          ? { fix: 'the cache is too small for its keys: rate limits and sessions stored there get lost' }
          : {}),
      });
      const blocked = Number(info.blocked_clients ?? 0);
      findings.push({
        ...base,
        verdict: 'ok',
        looked: `clients of ${s.service}`,
        found: `${info.connected_clients ?? '?'} connected, ${blocked} blocked`,
      });
    }
    return findings;
  },
};
