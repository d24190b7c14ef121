/**
 * Env drift against the last good deploy: the platform's current values hashed with the salt of the fingerprint
 * recorded at the last verified deploy, naming the variables that changed since (never their values). A value
 * changed on the platform dashboard is a classic cause of "it broke and nobody deployed".
 */
import { writeOnlyReason } from '../../checks/env/index.js';
import { compareEnv, type EnvChanges } from '../../env-fingerprint/index.js';
import { createProviderContext } from '../../providers/index.js';
import { type DoctorCheck, type Finding, RANK } from '../types.js';

function describe(changes: EnvChanges): string {
  return [
    changes.changed.length ? `changed: ${changes.changed.join(', ')}` : '',
    changes.added.length ? `added: ${changes.added.join(', ')}` : '',
    changes.removed.length ? `removed: ${changes.removed.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}

export const envSinceDeployCheck: DoctorCheck = {
  name: 'env-since-deploy',
  async run(ctx) {
    const findings: Finding[] = [];
    const pctx = createProviderContext({
      cwd: ctx.cwd,
      env: ctx.env,
      signal: ctx.signal,
      redactor: ctx.redactor,
    });
    for (const service of ctx.services) {
      const type = service.provider?.type;
      if (!type || type === 'none') continue;
      const provider = ctx.providerFor(service);
      if (!provider.getEnv) continue;
      const base = { check: 'env', service: service.name, rank: RANK.envDrift };
      const looked = `the env vars of ${service.name} on ${type} against the last good deploy (by hash)`;
      const last = ctx.envFingerprints?.find((f) => f.service === service.name);
      if (!last) {
        findings.push({
          ...base,
          verdict: 'skipped',
          looked,
          found:
            'no verified deploy by opsbook has recorded its env yet, so there is nothing to compare with',
          fix: `the next successful 'opsbook deploy ${service.name}' records it`,
        });
        continue;
      }
      let values: Record<string, string>;
      try {
        values = await provider.getEnv(pctx);
      } catch (error) {
        if (error instanceof Error && error.name === 'AbortError') throw error;
        // The credentials check reports why the platform cannot be read; this one simply could not decide.
        findings.push({ ...base, verdict: 'skipped', looked, found: `the platform could not be read` });
        continue;
      }
      const hidden = writeOnlyReason(type);
      const unreadable = new Set(hidden ? Object.keys(values).filter((k) => !values[k]) : []);
      const changes = await compareEnv(last, values, unreadable);
      const since = `since the last good deploy (run ${last.runId}, ${last.recordedAt})`;
      const unknown = changes.unknown.length
        ? [`not comparable (${hidden ?? 'no value recorded'}): ${changes.unknown.join(', ')}`]
        : [];
      const what = describe(changes);
      if (!what) {
        findings.push({
          ...base,
          verdict: 'ok',
          looked,
          found: `no variable changed ${since}`,
          ...(unknown.length ? { details: unknown } : {}),
        });
        continue;
      }
      const state = ctx.health.services.find((s) => s.service === service.name)?.state;
      findings.push({
        ...base,
        // A change while the service is failing is the likeliest cause; while it is healthy, worth knowing.
        verdict: state === 'unhealthy' || state === 'degraded' ? 'problem' : 'warning',
        looked,
        found: `${what} on ${type} ${since}`,
        fix: `if that change was not meant, set the previous value(s) back on ${type}; if it was, deploy and verify (opsbook deploy ${service.name}) so it becomes the last good state`,
        ...(unknown.length ? { details: unknown } : {}),
      });
    }
    return findings;
  },
};
