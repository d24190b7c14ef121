import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeRailway, startFakeRailway } from '../../test/fakes/railway/fake-railway.js';
import { commandInput } from '../../test/support/command-input.js';
import type { UnlockResult } from '../app/unlock.js';
import type { ResolvedService } from '../config/index.js';
import { lockName } from '../deploy/index.js';
import { createOutput } from '../output/index.js';
import { createRedactor } from '../redact/index.js';
import { openStore } from '../store/index.js';
import { UNLOCK_ARGS } from './specs-release.js';
import { run as unlock } from './unlock.js';

const TOKEN = 'rwy_UnlockProjectToken000000001';
let dir: string;
let railway: FakeRailway;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'opsbook-unlock-railway-'));
  railway = await startFakeRailway({ token: TOKEN });
  // By name, as the dashboard shows it: the provider resolves it to the service id.
  writeFileSync(
    join(dir, 'opsbook.yaml'),
    'name: kamiyo\nservices:\n  api: { kind: web, provider: { type: railway, service: kamiyo-api } }\ndeploy: { trigger: push }\n',
  );
});
afterAll(async () => {
  await railway.close();
  rmSync(dir, { recursive: true, force: true });
});

async function lockedByRollback(off: string[]) {
  const store = await openStore({ cwd: dir, env: {}, redactor: createRedactor() });
  try {
    const run = await store.createRun({ kind: 'rollback', environment: 'production', status: 'rolled-back' });
    await store.updateRun(run.id, { summary: { reason: null, plan: [], services: [], autoDeployOff: off } });
    await store.acquireLock(lockName('production'), {
      holder: `${run.id} on elsewhere pid 1`,
      reason: 'rolled back',
    });
  } finally {
    await store.close();
  }
}

async function call() {
  const out = createOutput({
    mode: 'plain',
    stdout: { write: () => true },
    stderr: { write: () => true },
    env: {},
  });
  const result = await unlock(
    commandInput(UNLOCK_ARGS, {
      values: { env: 'production' },
      cwd: dir,
      out,
      env: { RAILWAY_TOKEN: TOKEN, OPSBOOK_RAILWAY_API_URL: railway.url },
    }),
  );
  return result.data as UnlockResult;
}

describe('opsbook unlock on Railway', () => {
  it('leaves auto-deploy off when opsbook did not switch it off', async () => {
    railway.calls.splice(0);
    await lockedByRollback([]);
    const data = await call();
    expect(data.released).toBe(true);
    expect(railway.calls.some((c) => c.field === 'serviceInstanceAutoDeployUpdate')).toBe(false);
  });

  it('switches auto-deploy back on for the service a rollback switched off', async () => {
    const { createRailwayProvider } = await import('../providers/railway/index.js');
    const { createTestContext } = await import('../../test/support/providers/http/context.js');
    const svc = { name: 'api', kind: 'web', provider: { type: 'railway', service: 'kamiyo-api' } };
    await createRailwayProvider(svc as unknown as ResolvedService, { baseUrl: railway.url }).setAutoDeploy!(
      false,
      createTestContext({ RAILWAY_TOKEN: TOKEN }),
    );
    expect(railway.autoDeploy).toBe(false);
    await lockedByRollback(['api']);
    const data = await call();
    expect(data.autoDeployOn).toEqual(['api']);
    expect(railway.autoDeploy).toBe(true);
  });
});
