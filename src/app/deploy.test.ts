import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedactor } from '../redact/index.js';
import { openStore, type RunStatus, type Store } from '../store/index.js';
import { lockedHint } from './deploy.js';

let dir: string;
let store: Store;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'opsbook-deploy-cmd-'));
  store = await openStore({ cwd: dir, env: {}, redactor: createRedactor() });
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The lock left by a run of this kind and status whose process is gone. */
async function heldBy(kind: 'deploy' | 'rollback', status: RunStatus) {
  const run = await store.createRun({ kind, environment: 'production', actor: 'alice' });
  await store.updateRun(run.id, { status });
  const holder = `${run.id} on host pid 1`;
  return { name: 'deploy:production', holder, acquiredAt: '', expiresAt: null, reason: null, dead: true };
}

describe('lockedHint', () => {
  it('offers --resume only for a deploy or rollback whose process is gone mid-run', async () => {
    expect(await lockedHint(store, await heldBy('deploy', 'running'))).toContain('deploy --resume');
    expect(await lockedHint(store, await heldBy('rollback', 'running'))).toContain('rollback --resume');
    for (const held of [await heldBy('rollback', 'rolled-back'), await heldBy('deploy', 'rolled-back')]) {
      const hint = await lockedHint(store, held);
      expect(hint).not.toContain('--resume');
      expect(hint).toContain('opsbook unlock');
    }
  });
});
