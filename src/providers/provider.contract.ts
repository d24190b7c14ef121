// The one behaviour suite every provider passes. A provider's test registers it with a factory for a fresh target:
// the provider, a context (for API providers, its fetch reaches a loopback fake platform), a way to ask for a good,
// a failing or a slow release, and a way to see which release serves now.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError, UserError } from '../errors.js';
import { followDeploy } from './follow-deploy.js';
import type { DeployRequest, DeployState, Provider, ProviderContext, ProviderDeploy } from './types.js';

export type ReleaseKind =
  /** Goes live. */
  | 'good'
  /** Ends `failed` (a build error, a crash, a readiness that never comes). */
  | 'bad'
  /** Stays non-terminal for at least ~2 s of real time (or until canceled), then goes live. */
  | 'slow';

export interface ProviderContractTarget {
  provider: Provider;
  /** A context for one call; the suite passes its own signal when it tests aborts. */
  context(signal?: AbortSignal): ProviderContext;
  /** The deploy request for a release of that kind labelled `label` (the target may set up its fake for it). */
  request(kind: ReleaseKind, label: string): DeployRequest | Promise<DeployRequest>;
  /** The label of the release that serves traffic now, read from the running service or the fake platform. */
  served(): Promise<string | undefined>;
  /** Text a good release's logs contain, when the provider has `logs`. */
  logMarker?: string;
  dispose(): Promise<void>;
}

export interface ProviderContractOptions {
  /** Poll interval while following a deploy (the target's context may make sleeps instant). */
  pollMs?: number;
  /** Upper bound on one deploy reaching a terminal state. */
  deployTimeoutMs?: number;
}

const STATES: DeployState[] = ['queued', 'building', 'deploying', 'live', 'failed', 'canceled', 'superseded'];

export function describeProviderContract(
  name: string,
  createTarget: () => Promise<ProviderContractTarget>,
  options: ProviderContractOptions = {},
): void {
  const pollMs = options.pollMs ?? 100;
  const timeoutMs = options.deployTimeoutMs ?? 20_000;

  describe(`provider contract: ${name}`, () => {
    let target: ProviderContractTarget;
    let provider: Provider;
    const ctx = (signal?: AbortSignal) => target.context(signal);

    /** Deploys a release and follows it to a terminal state. */
    const ship = async (kind: ReleaseKind, label: string) => {
      const started = await provider.deploy(await target.request(kind, label), ctx());
      const final = await followDeploy(provider, started.id, ctx(), { intervalMs: pollMs, timeoutMs });
      return { started, final };
    };

    beforeEach(async () => {
      target = await createTarget();
      provider = target.provider;
    });
    afterEach(async () => {
      await target.dispose();
    });

    it('starts a deploy that getDeploy follows to live, and the release serves', async () => {
      const { started, final } = await ship('good', 'v1');
      expect(started.id).toMatch(/\S/);
      expect(STATES).toContain(started.state);
      expect(Number.isNaN(Date.parse(started.createdAt))).toBe(false);
      expect(final).toMatchObject({ id: started.id, state: 'live' });
      expect(await target.served()).toBe('v1');
    });

    it('ends a failing release failed with a reason, and the previous release keeps serving', async () => {
      await ship('good', 'v1');
      const { final } = await ship('bad', 'v2');
      expect(final.state).toBe('failed');
      expect(final.reason).toMatch(/\S/);
      expect(await target.served()).toBe('v1');
    });

    it('lists deploys newest first, with the latest one in the list', async () => {
      const first = await ship('good', 'v1');
      const second = await ship('good', 'v2');
      const list = await provider.listDeploys(ctx());
      const ids = list.map((d) => d.id);
      expect(ids[0]).toBe(second.started.id);
      expect(ids).toContain(first.started.id);
      const times = list.map((d) => Date.parse(d.createdAt));
      expect(times).toEqual([...times].sort((a, b) => b - a));
      expect(list.filter((d) => d.state === 'live').map((d) => d.id)).toEqual([second.started.id]);
      expect(await provider.listDeploys(ctx(), { limit: 1 })).toHaveLength(1);
    });

    it('rolls back to the previously live deploy: it serves again and the returned deploy is live', async () => {
      const first = await ship('good', 'v1');
      await ship('good', 'v2');
      expect(await target.served()).toBe('v2');
      const restored = await provider.rollback(first.started.id, ctx());
      expect(restored.state).toBe('live');
      expect(await target.served()).toBe('v1');
      expect((await provider.getDeploy(restored.id, ctx())).state).toBe('live');
    });

    it('stops waiting promptly when the signal aborts, and a canceled deploy ends canceled', async () => {
      await ship('good', 'v1');
      const slow = await provider.deploy(await target.request('slow', 'v2'), ctx());
      const abort = new AbortController();
      const waiting = followDeploy(provider, slow.id, ctx(abort.signal), { intervalMs: pollMs, timeoutMs });
      const outcome = waiting.then(
        () => 'finished',
        (error: Error) => error.name,
      );
      setTimeout(() => abort.abort(), 100);
      const began = Date.now();
      expect(await outcome).toBe('AbortError');
      expect(Date.now() - began).toBeLessThan(1500);

      const aborted = AbortSignal.abort();
      await expect(provider.getDeploy(slow.id, ctx(aborted))).rejects.toMatchObject({ name: 'AbortError' });
      await expect(provider.listDeploys(ctx(aborted))).rejects.toMatchObject({ name: 'AbortError' });

      if (provider.cancel) await provider.cancel(slow.id, ctx());
      const final = await followDeploy(provider, slow.id, ctx(), { intervalMs: pollMs, timeoutMs });
      expect(final.state).toBe(provider.cancel ? 'canceled' : 'live');
      if (provider.cancel) expect(await target.served()).toBe('v1');
    });

    it('rejects an unknown deploy id with a user or provider error', async () => {
      const error = await provider.getDeploy('no-such-deploy-0', ctx()).catch((e: unknown) => e);
      expect(error instanceof UserError || error instanceof ProviderError).toBe(true);
    });

    it('has optional capabilities that are either absent or work', async () => {
      const { started } = await ship('good', 'v1');
      if (provider.logs) {
        const page = await provider.logs(started.id, ctx());
        for (const line of page.lines) {
          expect(Number.isNaN(Date.parse(line.at))).toBe(false);
          expect(['build', 'deploy', 'runtime']).toContain(line.source);
          expect(typeof line.text).toBe('string');
        }
        const marker = target.logMarker;
        if (marker) {
          expect(page.lines.some((l) => l.text.includes(marker))).toBe(true);
          // The cursor moves on: what was read is not read again.
          const next = await provider.logs(started.id, ctx(), page.cursor);
          expect(next.lines.some((l) => l.text.includes(marker))).toBe(false);
        }
      }
      if (provider.setEnv) {
        expect(provider.getEnv).toBeDefined();
        await provider.setEnv({ OPSBOOK_CONTRACT_CHECK: 'on' }, ctx());
        expect((await provider.getEnv!(ctx())).OPSBOOK_CONTRACT_CHECK).toBe('on');
      }
      if (provider.setAutoDeploy) {
        await provider.setAutoDeploy(false, ctx());
        await provider.setAutoDeploy(true, ctx());
      }
      const deploys: ProviderDeploy[] = await provider.listDeploys(ctx());
      expect(deploys.some((d) => d.id === started.id)).toBe(true);
    });
  });
}
