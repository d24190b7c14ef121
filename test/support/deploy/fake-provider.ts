/** An in-memory platform for the deployment run's tests: deploys go live (or fail) after a few polls. */
import type { ResolvedService } from '../../../src/config/index.js';
import type { LogLine, Provider, ProviderDeploy } from '../../../src/providers/types.js';

export interface FakePlatform {
  deploys: Map<string, ProviderDeploy[]>;
  /** Next deploy of a service fails its build. */
  failNext: Set<string>;
  /** Log lines a service's next deploy prints. */
  nextLogs: Map<string, string[]>;
  calls: { deploy: number; rollback: number; autoDeploy: boolean[] };
  provider(service: ResolvedService): Provider;
}

export function createFakePlatform(): FakePlatform {
  const deploys = new Map<string, ProviderDeploy[]>();
  const polls = new Map<string, number>();
  const logs = new Map<string, LogLine[]>();
  const platform: FakePlatform = {
    deploys,
    failNext: new Set(),
    nextLogs: new Map(),
    calls: { deploy: 0, rollback: 0, autoDeploy: [] },
    provider(service) {
      const list = () => deploys.get(service.name) ?? deploys.set(service.name, []).get(service.name)!;
      const find = (id: string) => {
        const d = list().find((x) => x.id === id);
        if (!d) throw new Error(`no deploy ${id}`);
        return d;
      };
      return {
        type: 'fake',
        service,
        async deploy(request, ctx) {
          platform.calls.deploy++;
          const id = `dep-${service.name}-${list().length + 1}`;
          const d: ProviderDeploy = {
            id,
            state: 'building',
            commit: request.commit,
            createdAt: new Date(ctx.now()).toISOString(),
            url: `http://${service.name}.test`,
          };
          list().unshift(d);
          logs.set(
            id,
            (platform.nextLogs.get(service.name) ?? []).map((text) => ({
              at: d.createdAt,
              source: 'runtime',
              text,
            })),
          );
          platform.nextLogs.delete(service.name);
          if (platform.failNext.delete(service.name))
            (d as ProviderDeploy & { willFail?: boolean }).willFail = true;
          return { ...d };
        },
        async getDeploy(id) {
          const d = find(id) as ProviderDeploy & { willFail?: boolean };
          const n = (polls.get(id) ?? 0) + 1;
          polls.set(id, n);
          if (d.state === 'building' && n >= 2) {
            if (d.willFail) {
              d.state = 'failed';
              d.reason = 'build failed: exit 1';
            } else {
              for (const other of list()) if (other.state === 'live') other.state = 'superseded';
              d.state = 'live';
            }
          }
          return { ...d };
        },
        async rollback(targetId, ctx) {
          platform.calls.rollback++;
          const target = find(targetId);
          for (const other of list()) if (other.state === 'live') other.state = 'superseded';
          const d: ProviderDeploy = {
            id: `dep-${service.name}-${list().length + 1}`,
            state: 'live',
            trigger: 'rollback',
            commit: target.commit,
            createdAt: new Date(ctx.now()).toISOString(),
            url: target.url,
          };
          list().unshift(d);
          return { ...d };
        },
        async listDeploys() {
          return list().map((d) => ({ ...d }));
        },
        async logs(id, _ctx, cursor) {
          const all = logs.get(id) ?? [];
          const from = Number(cursor ?? 0);
          return { lines: all.slice(from), cursor: String(all.length) };
        },
        async setAutoDeploy(enabled) {
          platform.calls.autoDeploy.push(enabled);
        },
      };
    },
  };
  return platform;
}

/** Seeds a live deploy: what serves before the run (the rollback target). */
export function seedLive(platform: FakePlatform, service: string, commit = 'old'): void {
  platform.deploys.set(service, [
    {
      id: `dep-${service}-0`,
      state: 'live',
      commit,
      createdAt: '2026-01-01T00:00:00.000Z',
      url: `http://${service}.test`,
    },
  ]);
}
