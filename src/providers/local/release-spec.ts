// Turns a service's config into what the supervisor needs: command, cwd, readiness probe and proxy settings.
import { resolve } from 'node:path';
import { parseDuration, type ResolvedService } from '../../config/index.js';
import { secretValuesIn } from '../../redact/index.js';
import type { Readiness, ServiceSpec } from './protocol.js';

export type LocalSettings = Extract<NonNullable<ResolvedService['provider']>, { type: 'local' }>;

/** Tuning of the local runtime; the defaults follow kamal-proxy's (30 s deploy and drain timeouts). */
export interface LocalProviderOptions {
  readyTimeoutMs?: number;
  drainTimeoutMs?: number;
  /** How long a stopping release gets between SIGTERM and SIGKILL. */
  stopTimeoutMs?: number;
  /** Previous releases kept running for an instant rollback. */
  keep?: number;
  /** How long a release that does not listen (a worker) must stay up to count as started. */
  workerGraceMs?: number;
}

/** A service listens when it is web or static, has a proxy port, or declares a health path. */
export function listens(service: ResolvedService, settings: LocalSettings): boolean {
  return (
    service.kind === 'web' ||
    service.kind === 'static' ||
    settings.port !== undefined ||
    service.health.some((h) => h.path !== undefined)
  );
}

/** The readiness endpoint, else the liveness one, else a TCP accept; a worker only has to stay up. */
export function chooseReadiness(
  service: ResolvedService,
  settings: LocalSettings,
  environment: string,
  options: LocalProviderOptions,
): Readiness {
  if (!listens(service, settings)) return { kind: 'running', graceMs: options.workerGraceMs ?? 1000 };
  const usable = service.health.filter(
    (h) => h.path !== undefined && (!h.environments || h.environments.includes(environment)),
  );
  const endpoint = usable.find((h) => h.type === 'readiness') ?? usable.find((h) => h.type === 'liveness');
  if (!endpoint?.path) return { kind: 'tcp' };
  const status = endpoint.expect.status;
  return {
    kind: 'http',
    path: endpoint.path,
    method: endpoint.method,
    expectStatus: Array.isArray(status) ? status : [status],
    timeoutMs: parseDuration(endpoint.timeout),
  };
}

export function serviceSpec(
  service: ResolvedService,
  settings: LocalSettings,
  options: LocalProviderOptions,
): ServiceSpec {
  return {
    proxyPort: listens(service, settings) ? (settings.port ?? 0) : null,
    readyTimeoutMs: options.readyTimeoutMs ?? 30_000,
    drainTimeoutMs: options.drainTimeoutMs ?? 30_000,
    stopTimeoutMs: options.stopTimeoutMs ?? 10_000,
    keep: options.keep ?? 2,
  };
}

export function releaseCwd(stackDir: string, settings: LocalSettings): string {
  return resolve(stackDir, settings.cwd ?? '.');
}

/** The environment a release starts with, and the values its log lines must not show. */
export function releaseEnvironment(
  service: ResolvedService,
  env: NodeJS.ProcessEnv,
): { env: Record<string, string>; secrets: string[] } {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  const contract = new Set(
    Object.entries(service.env)
      .filter(([, spec]) => spec.secret)
      .map(([name]) => name),
  );
  // The app's own output may print any secret it was given, contract or not.
  return { env: out, secrets: secretValuesIn(Object.entries(out), contract) };
}
