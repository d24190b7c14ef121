// The control API between the local provider (in the opsbook CLI) and the supervisor daemon: bodies and records.
import { z } from 'zod';

/** How the supervisor decides a new release can take traffic. */
export const readinessSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('http'),
    path: z.string().startsWith('/'),
    method: z.enum(['GET', 'HEAD', 'POST']),
    expectStatus: z.array(z.number().int()),
    timeoutMs: z.number().positive(),
  }),
  z.object({ kind: z.literal('tcp') }),
  /** A release that does not listen (a worker): ready when it is still running after a grace period. */
  z.object({ kind: z.literal('running'), graceMs: z.number().nonnegative() }),
]);
export type Readiness = z.infer<typeof readinessSchema>;

/** Per-service settings sent with every call that may start or switch releases. */
export const serviceSpecSchema = z.object({
  /** Public port of the proxy: 0 picks a free one; null means no proxy (a worker). */
  proxyPort: z.number().int().min(0).max(65535).nullable(),
  readyTimeoutMs: z.number().positive(),
  drainTimeoutMs: z.number().nonnegative(),
  stopTimeoutMs: z.number().nonnegative(),
  /** Previous releases kept running for instant rollback (proxied services only). */
  keep: z.number().int().min(0),
});
export type ServiceSpec = z.infer<typeof serviceSpecSchema>;

const stringMap = z.record(z.string(), z.string());

export const deployBodySchema = z.object({
  service: serviceSpecSchema,
  command: z.string().min(1),
  cwd: z.string().min(1),
  readiness: readinessSchema,
  /** The release's environment before PORT, APP_VERSION and releaseEnv; kept in memory only. */
  env: stringMap,
  releaseEnv: stringMap.default({}),
  version: z.string().optional(),
  commit: z.string().optional(),
  /** Values to mask in the release's log lines (the env contract's secrets). */
  secrets: z.array(z.string()).default([]),
});
export type DeployBody = z.input<typeof deployBodySchema>;

export const rollbackBodySchema = z.object({
  service: serviceSpecSchema,
  targetId: z.string().min(1),
  /** Used when the target must be started again. */
  env: stringMap,
  secrets: z.array(z.string()).default([]),
});
export type RollbackBody = z.input<typeof rollbackBodySchema>;

/** What the supervisor remembers of one release (state.json). No env values: those stay in memory. */
export interface ReleaseRecord {
  id: string;
  seq: number;
  state: 'queued' | 'building' | 'deploying' | 'live' | 'failed' | 'canceled' | 'superseded';
  version?: string;
  commit?: string;
  trigger: string;
  createdAt: string;
  finishedAt?: string;
  reason?: string;
  command: string;
  cwd: string;
  readiness: Readiness;
  releaseEnv: Record<string, string>;
  /** It served traffic once, so it is a rollback target. */
  wasLive: boolean;
  /** When it last stopped serving: the kept releases are the most recently replaced. */
  replacedAt?: string;
  /** Process group and port while it runs. */
  pid?: number;
  port?: number;
}

/** supervisor.json: how a client reaches the daemon. Written 0600. */
export interface SupervisorInfo {
  pid: number;
  port: number;
  token: string;
  startedAt: string;
}
