/** Env drift: each platform's variables against the env contract (what `env check --from provider` reports). */
import { checkEnv } from '../../checks/env/index.js';
import { type DoctorCheck, type Finding, RANK } from '../types.js';

const READS_ENV = new Set(['render', 'vercel', 'railway', 'fly', 'heroku', 'netlify']);

export const envDriftCheck: DoctorCheck = {
  name: 'env',
  async run(ctx) {
    const platforms = ctx.services.filter(
      (s) => READS_ENV.has(s.provider?.type ?? '') && Object.keys(s.env).length,
    );
    if (!platforms.length) return [];
    const result = await checkEnv({
      cwd: ctx.cwd,
      config: ctx.config,
      configFile: ctx.configFile,
      environment: ctx.environment,
      from: 'provider',
      env: ctx.env,
      redactor: ctx.redactor,
      signal: ctx.signal,
    });
    const findings: Finding[] = [];
    for (const d of result.diagnostics) {
      if (d.severity === 'info') continue;
      const service = /^services\.([^.]+)/.exec(d.location?.path ?? '')?.[1];
      const credentials = d.code === 'env/provider-error';
      findings.push({
        check: credentials ? 'credentials' : 'env',
        ...(service ? { service } : {}),
        verdict: d.severity === 'error' ? 'problem' : 'warning',
        rank: credentials ? RANK.credentials : RANK.envDrift,
        looked: credentials
          ? `the platform API of ${service ?? 'a service'}`
          : `the env vars ${service ? `of ${service} ` : ''}on its platform against the contract`,
        found: d.message,
        ...(d.hint ? { fix: d.hint } : {}),
      });
    }
    if (!findings.some((f) => f.verdict === 'problem')) {
      findings.push({
        check: 'env',
        verdict: 'ok',
        rank: RANK.envDrift,
        looked: `the env vars of ${platforms.map((s) => s.name).join(', ')} on their platforms`,
        found: 'they satisfy the contract',
      });
    }
    return findings;
  },
};
