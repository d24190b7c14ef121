import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeRender, startFakeRender } from '../../test/fakes/render/fake-render.js';
import { commandInput } from '../../test/support/command-input.js';
import type { UnlockResult } from '../app/unlock.js';
import { lockName } from '../deploy/index.js';
import { createOutput } from '../output/index.js';
import { createRedactor } from '../redact/index.js';
import { openStore } from '../store/index.js';
import { UNLOCK_ARGS } from './specs-release.js';
import { run as unlock } from './unlock.js';

const TOKEN = 'rnd_unlocktest_0000000000';
let dir: string;
let render: FakeRender;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'opsbook-unlock-'));
  render = await startFakeRender({ token: TOKEN, serviceId: 'srv-api', autoDeploy: false });
  // web's service id is unknown to the platform: switching its auto-deploy back on fails.
  writeFileSync(
    join(dir, 'opsbook.yaml'),
    `name: shop
services:
  api: { kind: web, provider: { type: render, serviceId: srv-api } }
  web: { kind: web, provider: { type: render, serviceId: srv-gone } }
deploy: { trigger: push }
`,
  );
});
afterAll(async () => {
  await render.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A rollback run holding the production lock, having switched auto-deploy off for `off`. */
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

const call = async () => {
  const warnings: string[] = [];
  const out = createOutput({
    mode: 'plain',
    stdout: { write: () => true },
    stderr: {
      write: (s: string) => {
        warnings.push(s);
        return true;
      },
    },
    env: {},
  });
  const result = await unlock(
    commandInput(UNLOCK_ARGS, {
      values: { env: 'production' },
      cwd: dir,
      out,
      env: { RENDER_API_KEY: TOKEN, OPSBOOK_RENDER_API_URL: render.url },
    }),
  );
  result.print?.(out);
  return { result, data: result.data as UnlockResult, stderr: warnings.join('') };
};

describe('opsbook unlock and platform auto-deploy', () => {
  it('switches auto-deploy back on only where opsbook switched it off', async () => {
    await lockedByRollback([]);
    const { result, data } = await call();
    expect(result.ok).toBe(true);
    expect(data.released).toBe(true);
    expect(data.autoDeployOn).toEqual([]);
    expect(render.service.autoDeploy).toBe('no');
    // Forcing the lock open is recorded (for the log and incident timelines), with whose lock it was.
    const store = await openStore({ cwd: dir, env: {}, redactor: createRedactor() });
    try {
      const [forced] = await store.listRuns({ kind: 'unlock', environment: 'production' });
      expect(forced).toMatchObject({ status: 'succeeded', finishedAt: forced?.startedAt });
      expect(forced?.summary).toMatchObject({ holder: expect.stringContaining('on elsewhere pid 1') });
    } finally {
      await store.close();
    }
  });

  it('releases the lock and exits 0 when the platform refuses, with a warning naming the service', async () => {
    await lockedByRollback(['api', 'web']);
    const { result, data, stderr } = await call();
    expect(result.ok).toBe(true);
    expect(result.exitCode ?? 0).toBe(0);
    expect(data.released).toBe(true);
    expect(data.autoDeployOn).toEqual(['api']);
    expect(data.autoDeployFailed[0]).toContain('web');
    expect(stderr).toContain('auto-deploy is still off for web');
    expect(render.service.autoDeploy).toBe('yes');
  });
});
