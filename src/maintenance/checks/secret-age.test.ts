import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stackSchema } from '../../config/schema.js';
import { type EnvFingerprint, saveEnvFingerprint } from '../../env-fingerprint/index.js';
import { openStore, type Store } from '../../store/index.js';
import type { MaintenanceTask } from '../types.js';
import { secretAgeCheck } from './secret-age.js';

const NOW = new Date('2030-06-30T00:00:00.000Z');
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000).toISOString();
const SECRET = 'sk_live_Hq7Rt2Wz9Lp4Nb6X'; // gitleaks:allow (a fake secret for this test)

const config = (extra: Record<string, unknown> = {}, env?: Record<string, unknown>) => {
  const c = stackSchema.parse({
    name: 'shop',
    services: {
      api: {
        kind: 'web',
        env: env ?? {
          STRIPE_KEY: { secret: true },
          DATABASE_URL: { secret: true },
          SESSION_SECRET: { secret: true },
          SEALED_TOKEN: { secret: true },
          LOG_LEVEL: {},
        },
      },
      worker: { kind: 'worker', env: { QUEUE_PASSWORD: { secret: true } } },
    },
    maintenance: [
      { id: 'secrets', title: 'Rotate secrets', every: 'monthly', check: 'secret-age', ...extra },
    ],
  });
  return { config: c, task: c.maintenance[0] as MaintenanceTask };
};

/** A fingerprint as a verified deploy leaves it: hashes are opaque to the check, only names and dates count. */
const fingerprint = (
  service: string,
  recordedDaysAgo: number,
  f: Partial<EnvFingerprint>,
): EnvFingerprint => ({
  service,
  environment: 'production',
  runId: `run-${recordedDaysAgo}`,
  recordedAt: daysAgo(recordedDaysAgo),
  kdf: { name: 'scrypt', N: 8192, r: 8, p: 1, keyLength: 32 },
  salt: 'c2FsdA==',
  vars: {},
  ...f,
});

describe('the secret-age check', () => {
  let cwd: string;
  let store: Store;
  beforeEach(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'opsbook-secret-age-'));
    store = await openStore({ cwd, env: {} });
  });
  afterEach(async () => {
    await store.close();
    await rm(cwd, { recursive: true, force: true });
  });
  const run = (c: ReturnType<typeof config>) =>
    secretAgeCheck({ task: c.task, config: c.config, cwd, env: { STRIPE_KEY: SECRET }, store, now: NOW });

  it('dates each secret from the deploy that rotated it and fails the ones older than 90 days, by name', async () => {
    await saveEnvFingerprint(
      store,
      fingerprint('api', 3, {
        vars: {
          STRIPE_KEY: 'h1',
          DATABASE_URL: 'h2',
          SESSION_SECRET: 'h3',
          SEALED_TOKEN: null,
          LOG_LEVEL: 'h4',
        },
        since: {
          STRIPE_KEY: { runId: 'run-10', at: daysAgo(10), rotated: true },
          DATABASE_URL: { runId: 'run-120', at: daysAgo(120), rotated: true },
          SESSION_SECRET: { runId: 'run-40', at: daysAgo(40), rotated: false },
        },
      }),
    );
    await saveEnvFingerprint(
      store,
      fingerprint('worker', 200, {
        vars: { QUEUE_PASSWORD: 'h5' },
        since: { QUEUE_PASSWORD: { runId: 'run-200', at: daysAgo(200), rotated: false } },
      }),
    );
    const e = await run(config());
    expect(e.ok).toBe(false);
    expect(e.summary).toBe('2 of 5 secret(s) older than 90 days; cannot tell the age of 2 of 5 secret(s)');
    expect(e.findings.map((f) => [f.severity, f.message])).toEqual([
      [
        'info',
        'STRIPE_KEY of api (production): 10 day(s) since its last rotation (2030-06-20, deploy run-10)',
      ],
      [
        'warning',
        'DATABASE_URL of api (production): 120 day(s) since its last rotation (2030-03-02, deploy run-120), more than 90. Fix: rotate it on the platform, then deploy so opsbook records it',
      ],
      [
        'warning',
        'SESSION_SECRET of api (production): cannot tell (at least 40 day(s)): unchanged since opsbook first recorded it (2030-05-21, deploy run-40); when it was set before that is not known',
      ],
      [
        'warning',
        'SEALED_TOKEN of api (production): cannot tell: the platform never returns its value, so a rotation cannot be seen',
      ],
      // Unchanged since the first record 200 days ago: older than the limit whatever happened before.
      [
        'warning',
        'QUEUE_PASSWORD of worker (production): at least 200 day(s) since it was first recorded (2029-12-12, deploy run-200), more than 90. Fix: rotate it on the platform, then deploy so opsbook records it',
      ],
    ]);
    // LOG_LEVEL is not a secret: not reported. No value ever reaches the evidence.
    expect(JSON.stringify(e)).not.toContain('LOG_LEVEL');
    expect(JSON.stringify(e)).not.toContain(SECRET);
  });

  it('passes when every secret was rotated within maxAgeDays, and fails the same record under a stricter one', async () => {
    const c = config({ service: 'api' }, { STRIPE_KEY: { secret: true } });
    await saveEnvFingerprint(
      store,
      fingerprint('api', 1, {
        vars: { STRIPE_KEY: 'h1' },
        since: { STRIPE_KEY: { runId: 'run-30', at: daysAgo(30), rotated: true } },
      }),
    );
    const e = await run(c);
    expect(e).toMatchObject({ ok: true, summary: '1 secret(s) rotated within 90 days' });
    const strict = await run(config({ service: 'api', maxAgeDays: 14 }, { STRIPE_KEY: { secret: true } }));
    expect(strict.ok).toBe(false);
    expect(strict.summary).toBe('1 of 1 secret(s) older than 14 days');
  });

  it('cannot tell without a record, for a secret missing at the last deploy, or an older record without dates', async () => {
    const none = await run(config());
    expect(none.ok).toBe(false);
    expect(none.summary).toBe('cannot tell the age of 5 of 5 secret(s)');
    expect(none.findings[0]?.message).toBe(
      "STRIPE_KEY of api (production): cannot tell: no verified deploy by opsbook has recorded this service's env here",
    );
    // A fingerprint recorded before per-variable dates: its own date is only a lower bound.
    await saveEnvFingerprint(store, fingerprint('api', 5, { vars: { STRIPE_KEY: 'h1' } }));
    const c = config({ service: 'api' }, { STRIPE_KEY: { secret: true }, DATABASE_URL: { secret: true } });
    const e = await run(c);
    expect(e.ok).toBe(false);
    expect(e.findings.map((f) => f.message)).toEqual([
      'STRIPE_KEY of api (production): cannot tell (at least 5 day(s)): unchanged since opsbook first recorded it (2030-06-25, deploy run-5); when it was set before that is not known',
      'DATABASE_URL of api (production): cannot tell: not set on the platform at the last verified deploy (run-5)',
    ]);
  });

  it('cannot tell when the env contract declares no secret', async () => {
    const e = await run(config({ service: 'api' }, { LOG_LEVEL: {} }));
    expect(e).toEqual({
      ok: false,
      summary: 'cannot tell: the env contract declares no secret (secret: true) for api',
      findings: [],
    });
  });
});
