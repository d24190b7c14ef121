/**
 * Recent deploy runs for `/api/v1/deploys`: status, commit, services and times from the journal. Who deployed is
 * left out: the listener is public, and a deployer's name and email are nobody's business there (`opsbook log`).
 */
import { readState } from '../deploy/index.js';
import type { ServerContext } from './context.js';

export interface DeploySummary {
  id: string;
  status: string;
  phase: string | null;
  commit: string | null;
  services: { service: string; state: string }[];
  startedAt: string;
  finishedAt: string | null;
  times: Record<string, string>;
}

export async function readDeploys(ctx: ServerContext, limit: number): Promise<DeploySummary[]> {
  const runs = await ctx.store.listRuns({ kind: 'deploy', environment: ctx.environment, limit });
  return runs.map((run) => {
    const state = readState(run);
    const times: Record<string, string> = {};
    for (const [k, v] of Object.entries(state?.times ?? {})) if (typeof v === 'string') times[k] = v;
    return {
      id: run.id,
      status: run.status,
      phase: state?.phase ?? null,
      commit: state?.commit ?? state?.plan.commit ?? null,
      services: Object.entries(state?.services ?? {}).map(([service, s]) => ({ service, state: s.state })),
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      times,
    };
  });
}
