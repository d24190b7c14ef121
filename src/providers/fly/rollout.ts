/**
 * A rolling Machines rollout driven one step per poll, with its state kept on the platform (the image and
 * metadata of each Machine, the release status), so a later process can pick it up where this one stopped.
 */
import type { ProviderContext } from '../types.js';
import { BROKEN_STATES, type FlyMachine } from './api.js';

export type RolloutStep =
  | { kind: 'waiting'; note: string }
  | { kind: 'updated'; machine: string }
  | { kind: 'done' }
  | { kind: 'failed'; reason: string };

export interface MachinesApi {
  list(ctx: ProviderContext): Promise<FlyMachine[]>;
  update(machine: FlyMachine, config: FlyMachine['config'], ctx: ProviderContext): Promise<void>;
}

/** Why a Machine on the new image will not become healthy, or undefined while it still may. */
export function brokenReason(machine: FlyMachine): string | undefined {
  if (BROKEN_STATES.has(machine.state)) return `machine ${machine.id} is ${machine.state}`;
  const critical = machine.checks?.find((c) => c.status === 'critical');
  if (critical && machine.state === 'started') {
    return `machine ${machine.id}: check ${critical.name} is critical${critical.output ? ` (${critical.output.trim()})` : ''}`;
  }
  return undefined;
}

const healthy = (m: FlyMachine) =>
  m.state === 'started' && (m.checks ?? []).every((c) => c.status === 'passing');

/** Moves the rollout of `image` on one step: update the next Machine once the ones already on it are healthy. */
export async function stepRollout(
  api: MachinesApi,
  image: string,
  releaseId: string,
  ctx: ProviderContext,
): Promise<RolloutStep> {
  const machines = await api.list(ctx);
  if (machines.length === 0) return { kind: 'failed', reason: 'the app has no Machines to deploy to' };
  const onNew = machines.filter((m) => m.config.image === image);
  for (const machine of onNew) {
    const reason = brokenReason(machine);
    if (reason) return { kind: 'failed', reason };
  }
  const starting = onNew.find((m) => !healthy(m));
  if (starting)
    return { kind: 'waiting', note: `machine ${starting.id} is ${starting.state}, checks not passing yet` };
  const next = machines.find((m) => m.config.image !== image);
  if (!next) return { kind: 'done' };
  const metadata = {
    ...next.config.metadata,
    opsbook_previous_image: next.config.image,
    opsbook_release: releaseId,
  };
  await api.update(next, { ...next.config, image, metadata }, ctx);
  return { kind: 'updated', machine: next.id };
}

/** Puts the Machines this release moved back on the image they ran before (only those: never touch others). */
export async function revertRollout(
  api: MachinesApi,
  image: string,
  ctx: ProviderContext,
): Promise<string[]> {
  const reverted: string[] = [];
  for (const machine of await api.list(ctx)) {
    const previous = machine.config.metadata?.opsbook_previous_image;
    if (machine.config.image !== image || !previous) continue;
    await api.update(machine, { ...machine.config, image: previous }, ctx);
    reverted.push(machine.id);
  }
  return reverted;
}
