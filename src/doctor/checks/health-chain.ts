/**
 * A failing or degraded service followed down its chain: its probes, the dependencies that are down, its recent
 * deploys and rollbacks, and the error lines of its logs in the last 15 minutes.
 */
import { readLogs } from '../../logs/index.js';
import { isRefused, plainNetworkText } from '../../probes/network-words.js';
import { createProviderContext, type Provider, type ProviderDeploy } from '../../providers/index.js';
import { type DoctorCheck, type DoctorContext, type Finding, RANK } from '../types.js';

const WINDOW_MS = 15 * 60_000;

async function recentDeploys(provider: Provider, ctx: DoctorContext): Promise<ProviderDeploy[] | string> {
  try {
    const pctx = createProviderContext({
      cwd: ctx.cwd,
      env: ctx.env,
      signal: ctx.signal,
      redactor: ctx.redactor,
    });
    return await provider.listDeploys(pctx, { limit: 5 });
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

async function errorLines(service: string, ctx: DoctorContext): Promise<string[]> {
  try {
    const report = await readLogs({
      cwd: ctx.cwd,
      config: ctx.config,
      environment: ctx.environment,
      services: [service],
      env: ctx.env,
      signal: ctx.signal,
      redactor: ctx.redactor,
      level: 'error',
      sinceMs: ctx.now() - WINDOW_MS,
      lines: 5,
      providerFor: ctx.providerFor,
    });
    return report.entries.map((e) => `${e.at.slice(11, 19)} ${e.message}`.slice(0, 200));
  } catch {
    return [];
  }
}

export const healthChainCheck: DoctorCheck = {
  name: 'health',
  async run(ctx) {
    const findings: Finding[] = [];
    for (const s of ctx.health.services) {
      if (s.kind === 'database' || s.kind === 'cache') continue;
      const http = s.probes.filter((p) => p.kind === 'http');
      if (!http.length) continue;
      const looked = `the health endpoints of ${s.service} (${http.map((p) => p.name).join(', ')})`;
      if (s.state === 'healthy') {
        findings.push({
          check: 'health',
          service: s.service,
          verdict: 'ok',
          rank: RANK.health,
          looked,
          found: 'every endpoint answered as expected',
        });
        continue;
      }
      const failing = http.filter((p) => !p.result.ok || p.result.outcome !== 'up');
      const downDeps = s.dependencies.filter((d) => d.state === 'unhealthy');
      const details = failing.map((p) =>
        plainNetworkText(
          `${p.name}: ${p.result.status ? `HTTP ${p.result.status} ` : ''}${[...new Set([p.result.error, ...p.result.failures])].filter(Boolean).join('; ')}`,
        ),
      );
      const refused = failing.find((p) => isRefused(p.result.error ?? ''));
      const settings = ctx.services.find((x) => x.name === s.service)?.provider;
      let recent: ProviderDeploy[] = [];
      if (settings && settings.type !== 'none') {
        const list = await recentDeploys(
          ctx.providerFor(ctx.services.find((x) => x.name === s.service)!),
          ctx,
        );
        if (typeof list === 'string') details.push(`recent deploys: could not be read (${list})`);
        else {
          recent = list.filter((d) => ctx.now() - Date.parse(d.createdAt) < 24 * 3_600_000);
          for (const d of recent.slice(0, 3))
            details.push(
              `deploy ${d.id}${d.version ? ` (${d.version})` : ''}: ${d.state}${d.trigger ? `, ${d.trigger}` : ''} at ${d.createdAt}`,
            );
        }
      }
      const errors = await errorLines(s.service, ctx);
      for (const line of errors) details.push(`error log: ${line}`);
      const symptom = downDeps.length > 0;
      const fix = symptom
        ? `fix ${downDeps.map((d) => d.service).join(', ')} first (above): ${s.service} fails because it depends on ${downDeps.length > 1 ? 'them' : 'it'}`
        : refused
          ? `nothing answers at ${s.service}'s URL: start it (or wake it), or fix its URL in opsbook.yaml (services.${s.service}.urls.${ctx.environment})`
          : recent.some((d) => d.state === 'live' && ctx.now() - Date.parse(d.createdAt) < 3_600_000)
            ? `it was deployed in the last hour: roll back with 'opsbook rollback ${s.service}', then read 'opsbook logs ${s.service} --level error --since 1h'`
            : `read its errors: 'opsbook logs ${s.service} --level error --since 15m', and its deep health body`;
      findings.push({
        check: 'health',
        service: s.service,
        verdict: s.state === 'degraded' ? 'warning' : 'problem',
        rank: symptom ? RANK.symptom : RANK.health,
        looked,
        found: plainNetworkText(`${s.state}: ${s.reasons.join('; ') || 'failing probes'}`),
        fix,
        details,
      });
    }
    return findings;
  },
};
