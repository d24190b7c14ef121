/**
 * After verification: fingerprint each deployed service's env as its platform returns it, so `doctor` can later
 * name the variables changed since this last good deploy. Best effort: a platform that cannot be read leaves the
 * previous fingerprint in place and a warning in the run, never a failed deploy.
 */
import { writeOnlyReason } from '../checks/env/index.js';
import { resolveEnvironment } from '../config/index.js';
import {
  carrySince,
  compareEnv,
  fingerprintEnv,
  loadEnvFingerprint,
  saveEnvFingerprint,
} from '../env-fingerprint/index.js';
import type { PhaseContext } from './phase.js';

export async function recordDeployedEnv(
  ctx: Pick<PhaseContext, 'options' | 'journal' | 'providerCtx' | 'external' | 'now'>,
): Promise<void> {
  const { options, journal } = ctx;
  const { plan } = journal.state;
  const services = resolveEnvironment(options.config, plan.environment);
  await Promise.all(
    plan.groups.flat().map(async (name) => {
      const service = services.find((s) => s.name === name);
      if (!service) return;
      const provider = options.providerFor(service);
      if (!provider.getEnv) return;
      try {
        const values = await ctx.external(() => provider.getEnv!(ctx.providerCtx));
        const hidden = writeOnlyReason(provider.type);
        const unreadable = new Set(hidden ? Object.keys(values).filter((k) => !values[k]) : []);
        // What changed since the previous good deploy (names only): an incident's timeline shows it.
        const previous = await loadEnvFingerprint(options.store, plan.environment, name);
        const c = previous ? await compareEnv(previous, values, unreadable) : undefined;
        if (previous && c) {
          if (c.changed.length || c.added.length || c.removed.length)
            await journal.event(
              'info',
              'deploy.env-changed',
              `env of ${name} changed since deploy ${previous.runId}: ${describeChanges(c)}`,
              {
                service: name,
                since: previous.runId,
                changed: c.changed,
                added: c.added,
                removed: c.removed,
              },
            );
        }
        const fingerprint = await fingerprintEnv({
          service: name,
          environment: plan.environment,
          runId: journal.run.id,
          values,
          unreadable,
          now: ctx.now,
        });
        // Carried forward so `secret-age` can date each value's last rotation without keeping every fingerprint.
        fingerprint.since = carrySince(fingerprint, previous, c);
        await saveEnvFingerprint(options.store, fingerprint);
      } catch (error) {
        if (error instanceof Error && error.name === 'AbortError') throw error;
        await journal.event(
          'warn',
          'deploy.env-fingerprint',
          `could not record the env of ${name} for later drift checks: ${(error as Error).message}`,
        );
      }
    }),
  );
}

function describeChanges(c: { changed: string[]; added: string[]; removed: string[] }): string {
  return [
    c.changed.length ? `changed ${c.changed.join(', ')}` : '',
    c.added.length ? `added ${c.added.join(', ')}` : '',
    c.removed.length ? `removed ${c.removed.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}
