/** A deployment run over the in-memory platform and a fake clock, for the run's unit tests. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { validateConfigText } from '../../../src/config/validate.js';
import type { RunDeployOptions } from '../../../src/deploy/context.js';
import { lockName } from '../../../src/deploy/locks.js';
import { createRedactor } from '../../../src/redact/index.js';
import { openStore, type Store } from '../../../src/store/index.js';
import type { CheckOutcome } from '../../../src/verify/analysis.js';
import { createFakePlatform, seedLive } from './fake-provider.js';

export const YAML = (extra = '') => `name: shop
environments: { production: { protected: true } }
services:
  api:
    kind: web
    provider: { type: command, deploy: "true" }
    urls: { production: "http://api.test" }
    health: [{ type: readiness, path: /ready }]
    logs: { success: ["listening"], trouble: ["FATAL"] }
    env: { API_TOKEN: { secret: true, required: false } }
    dependsOn: [db]
  worker:
    kind: worker
    provider: { type: command, deploy: "true" }
    dependsOn: [api]
  db: { kind: database }
deploy:
  verify: { bake: 4s, interval: 1s, failureLimit: 1 }
${extra}`;

const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

export async function setup(extra = '', measure?: (n: number) => CheckOutcome['outcome']) {
  const { config, diagnostics } = validateConfigText(YAML(extra), 'opsbook.yaml');
  if (!config) throw new Error(JSON.stringify(diagnostics));
  const dir = mkdtempSync(join(tmpdir(), 'opsbook-deploy-'));
  const redactor = createRedactor();
  const store = await openStore({ cwd: dir, env: {}, redactor });
  stores.push(store);
  const platform = createFakePlatform();
  seedLive(platform, 'api');
  seedLive(platform, 'worker');
  let clock = Date.parse('2026-11-21T10:00:00Z');
  let measurements = 0;
  const options: RunDeployOptions = {
    cwd: dir,
    config,
    environment: 'production',
    store,
    env: {},
    signal: new AbortController().signal,
    redactor,
    actor: 'alice',
    commit: 'abc123',
    providerFor: (s) => platform.provider(s),
    measure: async (targets) => {
      const outcome = measure?.(measurements++) ?? 'successful';
      return targets.map((t) => ({
        name: `${t.service.name}:readiness`,
        outcome,
        detail: outcome === 'successful' ? '200' : 'HTTP 503',
      }));
    },
    now: () => clock,
    sleep: async (ms) => {
      clock += ms;
    },
    pollMs: 10,
  };
  return { options, platform, store };
}

/** Makes the lock look held by a run whose process was killed: same run id, a pid that no longer exists. */
export async function holdAsKilled(store: Store, environment: string, runId: string): Promise<void> {
  await store.forceReleaseLock(lockName(environment));
  const gone = spawnSync('true').pid;
  await store.acquireLock(lockName(environment), { holder: `${runId} on ${hostname()} pid ${gone}` });
}
