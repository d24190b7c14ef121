/** Databases and caches: can they be reached through the connection URL the apps read (from the health probes)? */
import { isRefused, plainNetworkText } from '../../probes/network-words.js';
import { type DoctorCheck, type Finding, RANK } from '../types.js';

const KIND_WORD: Record<string, string> = { database: 'database', cache: 'cache' };

export const connectionsCheck: DoctorCheck = {
  name: 'connections',
  async run(ctx) {
    const findings: Finding[] = [];
    for (const s of ctx.health.services) {
      const word = KIND_WORD[s.kind];
      if (!word) continue;
      const probes = s.probes.filter((p) => p.kind === 'postgres' || p.kind === 'redis');
      const base = { check: word, service: s.service, rank: RANK.reachability };
      if (!probes.length) {
        findings.push({
          ...base,
          verdict: 'skipped',
          looked: `the ${word} ${s.service}`,
          found: s.reasons.join('; ') || 'no connection URL to probe',
          fix: `set its connection URL (e.g. DATABASE_URL or REDIS_URL) where opsbook runs, or services.${s.service}.url`,
        });
        continue;
      }
      for (const p of probes) {
        const looked = `a ${p.kind} connection to ${s.service} (${p.target})`;
        if (p.result.ok) {
          findings.push({
            ...base,
            verdict: 'ok',
            looked,
            found: `connected in ${Math.round(p.result.latencyMs)}ms`,
          });
          continue;
        }
        const error = p.result.error ?? p.result.failures.join('; ');
        const refused = isRefused(error);
        const auth = /password|authentication|SASL|no pg_hba/i.test(error);
        findings.push({
          ...base,
          verdict: 'problem',
          looked,
          found: `cannot connect: ${plainNetworkText(error)}`,
          fix: auth
            ? `the credentials in the connection URL are rejected: rotate them on the ${word}'s platform and update the variable everywhere it is set`
            : refused
              ? `nothing listens there: start the ${word} (or wake a paused one), or fix the host and port in the connection URL`
              : `check the ${word}'s status on its platform and its connection URL (host, port, TLS, allowed IPs)`,
        });
      }
    }
    return findings;
  },
};
