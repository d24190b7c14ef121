/** `detailed` health endpoints (admin diagnostics: perf stats, slow queries) fetched with their auth and shown. */
import { resolveAuth } from '../../probes/auth.js';
import { plainNetworkError } from '../../probes/network-words.js';
import { type DoctorCheck, type Finding, RANK } from '../types.js';

const MAX_SHOWN = 600;

export const detailedCheck: DoctorCheck = {
  name: 'detailed',
  async run(ctx) {
    const findings: Finding[] = [];
    for (const service of ctx.services) {
      for (const endpoint of service.health.filter((h) => h.type === 'detailed')) {
        if (endpoint.environments && !endpoint.environments.includes(ctx.environment)) continue;
        const url =
          endpoint.url ??
          (service.url && endpoint.path ? new URL(endpoint.path, service.url).toString() : undefined);
        const name = endpoint.name ?? 'detailed';
        const base = {
          check: 'detailed',
          service: service.name,
          rank: RANK.info,
          looked: `${name} (${url ?? 'no URL'})`,
        };
        if (!url) {
          findings.push({
            ...base,
            verdict: 'skipped',
            found: `${service.name} has no URL in ${ctx.environment}`,
          });
          continue;
        }
        const auth = resolveAuth(endpoint.auth, { env: ctx.env, signal: ctx.signal, redactor: ctx.redactor });
        if ('missing' in auth) {
          findings.push({
            ...base,
            verdict: 'skipped',
            found: auth.missing,
            fix: 'export the variable where opsbook runs to see these diagnostics',
          });
          continue;
        }
        try {
          const response = await fetch(url, {
            method: endpoint.method,
            headers: { accept: 'application/json', ...auth.headers },
            signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(10_000)]),
          });
          const text = ctx.redactor.redact(await response.text());
          let shown = text;
          try {
            shown = JSON.stringify(JSON.parse(text), null, 2);
          } catch {
            // Not JSON: shown as text.
          }
          const lines = shown.slice(0, MAX_SHOWN).split('\n');
          findings.push({
            ...base,
            verdict: response.ok ? 'ok' : 'warning',
            found: `HTTP ${response.status}${response.ok ? '' : ' (the admin endpoint itself failed)'}`,
            details: shown.length > MAX_SHOWN ? [...lines, '…'] : lines,
          });
        } catch (error) {
          findings.push({
            ...base,
            verdict: 'warning',
            found: `no answer: ${plainNetworkError(error)}`,
          });
        }
      }
    }
    return findings;
  },
};
