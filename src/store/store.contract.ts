// The one behaviour suite every store backend must pass; sqlite.test.ts and postgres.test.ts register it.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRedactor, type Redactor } from '../redact/index.js';
import { type JsonValue, openStore, SQLITE_PATH, type Store, type StoreBackend } from './index.js';

export interface StoreContractTarget {
  /** Opens one more store (its own connection) on this target's database. */
  open(options?: { redactor?: Redactor; now?: () => Date }): Promise<Store>;
  /** Everything the database holds, as raw text (file bytes / every row as SQL text). */
  dumpRaw(): Promise<string>;
  dispose(): Promise<void>;
}

/**
 * A SQLite store in a fresh temporary folder: on the main thread, or with `thread` on its worker thread, as `serve`
 * opens it. The raw dump is the file's bytes as latin1: every ASCII string SQLite stored shows up verbatim.
 */
export async function sqliteContractTarget(sqlite?: { thread: true }): Promise<StoreContractTarget> {
  const cwd = await mkdtemp(join(tmpdir(), 'opsbook-store-'));
  return {
    open: (options) => openStore({ cwd, env: {}, ...options, ...(sqlite ? { sqlite } : {}) }),
    dumpRaw: () => readFile(join(cwd, SQLITE_PATH), 'latin1'),
    dispose: () => rm(cwd, { recursive: true, force: true }),
  };
}

export interface StoreContractOptions {
  /** Why the suite cannot run here; it is then skipped. */
  skip?: string;
}

/** A clock the test moves by hand. */
function createClock(start = '2030-01-01T00:00:00.000Z') {
  let ms = Date.parse(start);
  return { now: () => new Date(ms), advance: (by: number) => (ms += by) };
}

export function describeStoreContract(
  backend: StoreBackend,
  createTarget: () => Promise<StoreContractTarget>,
  options: StoreContractOptions = {},
): void {
  describe.skipIf(Boolean(options.skip))(`store contract: ${backend}`, () => {
    let target: StoreContractTarget;
    let opened: Store[] = [];
    const open = async (o?: Parameters<StoreContractTarget['open']>[0]) => {
      const store = await target.open(o);
      opened.push(store);
      return store;
    };

    beforeEach(async () => {
      target = await createTarget();
      opened = [];
    });
    afterEach(async () => {
      await Promise.all(opened.map((s) => s.close()));
      await target.dispose();
    });

    describe('runs', () => {
      it('creates a running run with a time-ordered id and reads it back', async () => {
        const store = await open();
        expect(store.backend).toBe(backend);
        const first = await store.createRun({ kind: 'deploy', environment: 'production', actor: 'alice' });
        const second = await store.createRun({ kind: 'check', actor: 'bob', summary: { gates: 3 } });
        expect(first.id < second.id).toBe(true);
        expect(first).toMatchObject({
          kind: 'deploy',
          environment: 'production',
          status: 'running',
          finishedAt: null,
        });
        expect(Number.isNaN(Date.parse(first.startedAt))).toBe(false);
        expect(await store.getRun(second.id)).toEqual({
          ...second,
          environment: null,
          summary: { gates: 3 },
        });
        expect(await store.getRun('01NOSUCHRUN')).toBeUndefined();
      });

      it('updates status, finish time and summary, and leaves unset fields alone', async () => {
        const store = await open();
        const run = await store.createRun({ kind: 'migrate', summary: { planned: 2 } });
        const finishedAt = '2030-01-01T00:05:00.000Z';
        const done = await store.updateRun(run.id, { status: 'failed', finishedAt });
        expect(done).toMatchObject({ status: 'failed', finishedAt, summary: { planned: 2 } });
        const summarised = await store.updateRun(run.id, { summary: { planned: 2, applied: 1 } });
        expect(summarised).toMatchObject({ status: 'failed', summary: { planned: 2, applied: 1 } });
        expect(await store.getRun(run.id)).toEqual(summarised);
        expect(await store.updateRun('01NOSUCHRUN', { status: 'failed' })).toBeUndefined();
      });

      it('lists runs newest first, filtered by kind, environment and status, up to the limit', async () => {
        const store = await open();
        const at = (minute: number) => `2030-01-01T00:${String(minute).padStart(2, '0')}:00.000Z`;
        const specs = [
          { minute: 3, kind: 'deploy', environment: 'production', status: 'succeeded' },
          { minute: 1, kind: 'deploy', environment: 'staging', status: 'failed' },
          { minute: 4, kind: 'check', environment: 'production', status: 'succeeded' },
          { minute: 2, kind: 'deploy', environment: 'production', status: 'rolled-back' },
        ];
        for (const s of specs) await store.createRun({ ...s, startedAt: at(s.minute) });
        const minutes = (runs: { startedAt: string }[]) =>
          runs.map((r) => new Date(r.startedAt).getUTCMinutes());
        expect(minutes(await store.listRuns())).toEqual([4, 3, 2, 1]);
        expect(minutes(await store.listRuns({ kind: 'deploy' }))).toEqual([3, 2, 1]);
        expect(minutes(await store.listRuns({ kind: 'deploy', environment: 'production' }))).toEqual([3, 2]);
        expect(minutes(await store.listRuns({ status: 'succeeded' }))).toEqual([4, 3]);
        expect(minutes(await store.listRuns({ limit: 2 }))).toEqual([4, 3]);
      });

      it('round-trips JSON summaries exactly', async () => {
        const store = await open();
        const summary: JsonValue = {
          text: 'déploiement ✓ 日本',
          numbers: [0, -1.5, 1e21],
          flags: { yes: true, no: false, nothing: null },
          nested: [{ a: [[]] }, {}],
        };
        const run = await store.createRun({ kind: 'verify', summary });
        expect((await store.getRun(run.id))?.summary).toEqual(summary);
        const plain = await store.createRun({ kind: 'verify', summary: 'just text' });
        expect((await store.getRun(plain.id))?.summary).toBe('just text');
      });

      it('keeps everything across close and reopen', async () => {
        const first = await open();
        const run = await first.createRun({ kind: 'deploy', environment: 'production' });
        await first.appendEvent(run.id, { level: 'info', type: 'note', message: 'persisted' });
        await first.close();
        const second = await open();
        expect((await second.getRun(run.id))?.environment).toBe('production');
        expect((await second.listEvents(run.id)).map((e) => e.message)).toEqual(['persisted']);
      });
    });

    describe('steps and events', () => {
      it('lists steps in start order and records their outcome', async () => {
        const clock = createClock();
        const store = await open({ now: clock.now });
        const run = await store.createRun({ kind: 'deploy' });
        const names = ['lock', 'gates', 'migrate', 'deploy', 'verify'];
        const steps = [];
        for (const name of names) {
          steps.push(await store.addStep(run.id, { name }));
          clock.advance(1000);
        }
        const other = await store.createRun({ kind: 'deploy' });
        await store.addStep(other.id, { name: 'elsewhere' });
        const gates = steps[1]!;
        const updated = await store.updateStep(gates.id, {
          status: 'failed',
          finishedAt: clock.now().toISOString(),
          detail: { failed: ['lint'] },
        });
        expect(updated).toMatchObject({ status: 'failed', detail: { failed: ['lint'] }, runId: run.id });
        const listed = await store.listSteps(run.id);
        expect(listed.map((s) => s.name)).toEqual(names);
        expect(listed[0]).toMatchObject({ status: 'running', finishedAt: null, detail: null });
        expect(listed[1]).toEqual(updated);
        expect(await store.updateStep('01NOSUCHSTEP', { status: 'failed' })).toBeUndefined();
      });

      it('writes a step and its run together when given the run patch', async () => {
        const store = await open();
        const run = await store.createRun({ kind: 'deploy', summary: { phase: 'locked' } });
        const other = await store.createRun({ kind: 'deploy', summary: { phase: 'other' } });
        const step = await store.addStep(run.id, { name: 'deploy:api' }, { summary: { phase: 'deploying' } });
        expect(step).toMatchObject({ runId: run.id, name: 'deploy:api', status: 'running' });
        expect((await store.getRun(run.id))?.summary).toEqual({ phase: 'deploying' });
        const done = await store.updateStep(
          step.id,
          { status: 'succeeded', detail: { id: 'd1' } },
          { summary: { phase: 'deployed' }, status: 'succeeded' },
        );
        expect(done).toMatchObject({ id: step.id, status: 'succeeded', detail: { id: 'd1' } });
        expect(await store.getRun(run.id)).toMatchObject({
          status: 'succeeded',
          summary: { phase: 'deployed' },
        });
        expect((await store.getRun(other.id))?.summary).toEqual({ phase: 'other' });
        expect(await store.updateStep(step.id, {}, { summary: { phase: 'again' } })).toEqual(done);
        expect((await store.getRun(run.id))?.summary).toEqual({ phase: 'again' });
      });

      it('appends events with increasing ids and follows a run with afterId', async () => {
        const store = await open();
        const run = await store.createRun({ kind: 'deploy' });
        const other = await store.createRun({ kind: 'deploy' });
        const written = [];
        for (let i = 0; i < 5; i++) {
          written.push(
            await store.appendEvent(run.id, {
              level: 'info',
              type: 'log',
              message: `line ${i}`,
              data: { i },
            }),
          );
          await store.appendEvent(other.id, { level: 'warn', type: 'log', message: `other ${i}` });
        }
        const ids = written.map((e) => e.id);
        expect([...ids].sort((a, b) => a - b)).toEqual(ids);
        expect(new Set(ids).size).toBe(5);
        const all = await store.listEvents(run.id);
        expect(all).toEqual(written);
        expect(all[2]).toMatchObject({
          runId: run.id,
          level: 'info',
          type: 'log',
          message: 'line 2',
          data: { i: 2 },
        });
        const after = await store.listEvents(run.id, { afterId: ids[2] });
        expect(after.map((e) => e.message)).toEqual(['line 3', 'line 4']);
        expect(await store.listEvents(run.id, { afterId: ids[4] })).toEqual([]);
        expect((await store.listEvents(run.id, { limit: 2 })).map((e) => e.message)).toEqual([
          'line 0',
          'line 1',
        ]);
      });
    });

    describe('locks', () => {
      it('gives a free lock to the first holder and names that holder to the next', async () => {
        const store = await open();
        const first = await store.acquireLock('deploy:production', { holder: 'alice', reason: 'release 42' });
        expect(first).toMatchObject({
          acquired: true,
          lock: { holder: 'alice', reason: 'release 42', expiresAt: null },
        });
        const second = await store.acquireLock('deploy:production', { holder: 'bob' });
        expect(second).toEqual({ acquired: false, heldBy: first.acquired ? first.lock : undefined });
        expect(await store.getLock('deploy:production')).toMatchObject({ holder: 'alice' });
        expect((await store.acquireLock('deploy:staging', { holder: 'bob' })).acquired).toBe(true);
      });

      it('releases only for its holder; a forced release frees anyone', async () => {
        const store = await open();
        await store.acquireLock('migrate', { holder: 'alice' });
        expect(await store.releaseLock('migrate', 'bob')).toBe(false);
        expect((await store.getLock('migrate'))?.holder).toBe('alice');
        expect(await store.releaseLock('migrate', 'alice')).toBe(true);
        expect(await store.getLock('migrate')).toBeUndefined();
        await store.acquireLock('migrate', { holder: 'carol' });
        expect(await store.forceReleaseLock('migrate')).toBe(true);
        expect(await store.forceReleaseLock('migrate')).toBe(false);
        expect((await store.acquireLock('migrate', { holder: 'dave' })).acquired).toBe(true);
      });

      it('releases a lock and patches a run in one transaction', async () => {
        const store = await open();
        const run = await store.createRun({ kind: 'deploy', summary: { phase: 'deployed' } });
        await store.acquireLock('deploy:production', { holder: 'alice' });
        const patch = { summary: { phase: 'verified' } };
        expect(await store.releaseLock('deploy:production', 'alice', { id: run.id, patch })).toBe(true);
        expect(await store.getLock('deploy:production')).toBeUndefined();
        expect((await store.getRun(run.id))?.summary).toEqual({ phase: 'verified' });
        // Not the holder: nothing to release, and the run is written all the same.
        expect(
          await store.releaseLock('deploy:production', 'bob', { id: run.id, patch: { status: 'succeeded' } }),
        ).toBe(false);
        expect((await store.getRun(run.id))?.status).toBe('succeeded');
      });

      it('lets an expired lock be taken over, but not a live one', async () => {
        const clock = createClock();
        const store = await open({ now: clock.now });
        const taken = await store.acquireLock('deploy', { holder: 'alice', ttlMs: 60_000 });
        expect(taken.acquired && taken.lock.expiresAt).toBe('2030-01-01T00:01:00.000Z');
        clock.advance(59_000);
        expect((await store.acquireLock('deploy', { holder: 'bob' })).acquired).toBe(false);
        clock.advance(1_000);
        expect(await store.getLock('deploy')).toBeUndefined();
        const takeover = await store.acquireLock('deploy', { holder: 'bob', reason: 'alice crashed' });
        expect(takeover).toMatchObject({ acquired: true, lock: { holder: 'bob', expiresAt: null } });
        clock.advance(365 * 24 * 3600_000);
        expect((await store.acquireLock('deploy', { holder: 'carol' })).acquired).toBe(false);
        expect(await store.releaseLock('deploy', 'alice')).toBe(false);
      });

      it('renews the lock when its holder acquires it again', async () => {
        const clock = createClock();
        const store = await open({ now: clock.now });
        await store.acquireLock('serve', { holder: 'node-1', ttlMs: 10_000 });
        clock.advance(8_000);
        const renewed = await store.acquireLock('serve', { holder: 'node-1', ttlMs: 10_000 });
        expect(renewed.acquired && renewed.lock.expiresAt).toBe('2030-01-01T00:00:18.000Z');
        clock.advance(5_000);
        expect((await store.acquireLock('serve', { holder: 'node-2' })).acquired).toBe(false);
      });

      it('of many concurrent acquirers on separate connections exactly one wins', async () => {
        const stores = await Promise.all(Array.from({ length: 6 }, () => open()));
        for (let round = 0; round < 5; round++) {
          const results = await Promise.all(
            stores.map((s, i) => s.acquireLock(`race-${round}`, { holder: `worker-${i}` })),
          );
          const winners = results.filter((r) => r.acquired);
          expect(winners).toHaveLength(1);
          const winner = winners[0]!.acquired ? winners[0]!.lock.holder : '';
          for (const r of results) if (!r.acquired) expect(r.heldBy.holder).toBe(winner);
        }
      });

      it('of concurrent takeovers of an expired lock exactly one wins', async () => {
        const clock = createClock();
        const stores = await Promise.all(Array.from({ length: 6 }, () => open({ now: clock.now })));
        await stores[0]!.acquireLock('deploy', { holder: 'crashed', ttlMs: 1_000 });
        clock.advance(1_000);
        const results = await Promise.all(
          stores.map((s, i) => s.acquireLock('deploy', { holder: `worker-${i}` })),
        );
        expect(results.filter((r) => r.acquired)).toHaveLength(1);
        expect((await stores[0]!.getLock('deploy'))?.holder).toMatch(/^worker-/);
      });
    });

    describe('cache', () => {
      it('stores, overwrites and misses entries', async () => {
        const store = await open();
        expect(await store.getCache('sha256:none')).toBeUndefined();
        await store.putCache('sha256:abc', { ok: true, evidence: ['12 tests passed'] });
        expect(await store.getCache('sha256:abc')).toEqual({ ok: true, evidence: ['12 tests passed'] });
        await store.putCache('sha256:abc', { ok: false });
        expect(await store.getCache('sha256:abc')).toEqual({ ok: false });
        await store.putCache('sha256:null', null);
        expect(await store.getCache('sha256:null')).toBeNull();
      });
    });

    describe('migrations', () => {
      it('opens concurrently on an empty database, and every opened store works', async () => {
        const stores = await Promise.all(Array.from({ length: 4 }, () => open()));
        await Promise.all(stores.map((s, i) => s.createRun({ kind: 'check', actor: `opener-${i}` })));
        expect(await stores[0]!.listRuns()).toHaveLength(4);
      });
    });

    describe('secrets', () => {
      it('never stores a registered secret: not in what is read back, nor in the raw database', async () => {
        const secret = 'sk_live_contract_9f8e7d6c5b4a'; // gitleaks:allow (a fake secret for this test)
        const marker = 'visible-marker-5813';
        const redactor = createRedactor([secret]);
        const store = await open({ redactor });
        const run = await store.createRun({
          kind: 'deploy',
          actor: `ci ${secret}`,
          summary: { token: secret, headers: [`Bearer ${secret}`], [secret]: 'as a key' },
        });
        const step = await store.addStep(run.id, {
          name: `call ${secret}`,
          detail: { env: { API_KEY: secret } },
        });
        await store.updateStep(step.id, { detail: { stderr: `401 for ${secret}` } });
        await store.updateRun(run.id, { summary: { note: `rotated ${secret}`, [secret]: 'as a key' } });
        await store.appendEvent(run.id, {
          level: 'error',
          type: 'log',
          message: `${marker} curl -H "Authorization: ${secret}"`,
          data: { line: secret },
        });
        await store.acquireLock('deploy', { holder: 'alice', reason: `because ${secret}` });
        await store.putCache('gate:secrets', { found: secret });

        const readBack = JSON.stringify([
          await store.getRun(run.id),
          await store.listSteps(run.id),
          await store.listEvents(run.id),
          await store.getLock('deploy'),
          await store.getCache('gate:secrets'),
        ]);
        expect(readBack).toContain('[REDACTED]');
        expect(readBack).toContain(marker);
        expect(readBack).not.toContain(secret);

        await store.close();
        const raw = await target.dumpRaw();
        expect(raw).toContain(marker);
        expect(raw).not.toContain(secret);
      });
    });
  });
}
