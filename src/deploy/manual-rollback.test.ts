import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { validateConfigText } from '../config/index.js';
import { createProviderContext } from '../providers/context.js';
import { createRedactor } from '../redact/index.js';
import { openStore, type Store } from '../store/index.js';
import { lockName } from './locks.js';
import { rollbackEnvironment } from './manual-rollback.js';
import { createFakePlatform, seedLive } from './test-support/fake-provider.js';

const YAML = `name: shop
environments: { production: { protected: true } }
services:
  api: { kind: web, provider: { type: command, deploy: "true" } }
`;

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

async function setup() {
  const { config, diagnostics } = validateConfigText(YAML, 'opsbook.yaml');
  if (!config) throw new Error(JSON.stringify(diagnostics));
  const dir = mkdtempSync(join(tmpdir(), 'opsbook-rollback-'));
  const store: Store = await openStore({ cwd: dir, env: {}, redactor: createRedactor() });
  cleanup.push(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const platform = createFakePlatform();
  seedLive(platform, 'api');
  const rollback = (to: string) =>
    rollbackEnvironment({
      config,
      environment: 'production',
      store,
      actor: 'alice',
      providerFor: (s) => platform.provider(s),
      providerCtx: createProviderContext({ cwd: dir, sleep: async () => {} }),
      measure: async () => [],
      services: ['api'],
      to,
    });
  return { store, platform, rollback };
}

describe('rollbackEnvironment', () => {
  it('does not lock the environment when nothing was rolled back (a mistyped --to)', async () => {
    const { store, platform, rollback } = await setup();
    const result = await rollback('dep-api-typo');
    expect(result.status).toBe('failed');
    expect(result.services[0]?.error).toContain('dep-api-typo');
    expect(platform.deploys.get('api')?.[0]?.id).toBe('dep-api-0');
    expect(await store.getLock(lockName('production'))).toBeUndefined();
  });

  it('keeps a lock it found, with its reason, when nothing was rolled back', async () => {
    const { store, rollback } = await setup();
    await store.acquireLock(lockName('production'), { holder: 'someone on host pid 1', reason: 'freeze' });
    await rollback('dep-api-typo');
    expect((await store.getLock(lockName('production')))?.reason).toBe('freeze');
  });

  it('locks the environment after a rollback that changed a service', async () => {
    const { store, platform, rollback } = await setup();
    platform.deploys.get('api')?.push({ id: 'dep-api-old', state: 'superseded', createdAt: '2025-12-01' });
    const result = await rollback('dep-api-old');
    expect(result.services[0]?.error).toBeUndefined();
    expect((await store.getLock(lockName('production')))?.reason).toContain('rolled back by alice');
  });
});
