/** What the store keeps about a heartbeat: the last ping and when opsbook started watching. Never the token. */
import type { JsonValue, Store } from '../store/index.js';

export type PingKind = 'ok' | 'fail' | 'start';

export interface HeartbeatState {
  lastPingAt?: string;
  lastKind?: PingKind;
  /** The last `/start`: a run in progress. */
  startedAt?: string;
  /** First time any opsbook instance looked: "never pinged" is measured from here. */
  watchingSince: string;
}

const key = (environment: string, id: string) => `heartbeat:${environment}:${id}`;

export async function readHeartbeat(
  store: Store,
  environment: string,
  id: string,
  now: Date,
): Promise<HeartbeatState> {
  const found = (await store.getCache(key(environment, id))) as HeartbeatState | undefined | null;
  if (found?.watchingSince) return found;
  const fresh: HeartbeatState = { watchingSince: now.toISOString() };
  await store.putCache(key(environment, id), fresh as unknown as JsonValue);
  return fresh;
}

export async function recordPing(
  store: Store,
  environment: string,
  id: string,
  kind: PingKind,
  now: Date,
): Promise<HeartbeatState> {
  const state = await readHeartbeat(store, environment, id, now);
  const at = now.toISOString();
  const next: HeartbeatState =
    kind === 'start' ? { ...state, startedAt: at } : { ...state, lastPingAt: at, lastKind: kind };
  await store.putCache(key(environment, id), next as unknown as JsonValue);
  return next;
}
