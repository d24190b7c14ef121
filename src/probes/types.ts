/** The shapes every probe shares: the I/O context it runs with and the result it returns. */
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import type { Redactor } from '../redact/index.js';
import { printable } from './conditions.js';

export type ProbeOutcome = 'up' | 'degraded' | 'down';

/** I/O comes in through here (CONVENTIONS point 4): tests pass loopback servers, fakes and a fixed clock. */
export interface ProbeContext {
  /** Replaces the built-in node:http(s) transport; the TLS certificate cannot be read through it. */
  fetch?: typeof fetch;
  signal: AbortSignal;
  /** Milliseconds since the epoch; stamps `at`. */
  now?: () => number;
  /** Where `{ env: NAME }` secret references are read. */
  env: Record<string, string | undefined>;
  /** Secret values a probe reads (auth tokens, passwords in connection URLs) are registered here. */
  redactor?: Redactor;
  /**
   * Keep-alive agents for the built-in transport, for monitors checking often: connections are reused,
   * so latency then leaves out connect and TLS set-up. Default: a fresh connection per check.
   */
  agents?: { http: HttpAgent; https: HttpsAgent };
}

export interface ProbeResult {
  /** The target answered well enough to serve: `up` or `degraded`. */
  ok: boolean;
  outcome: ProbeOutcome;
  latencyMs: number;
  /** HTTP status, when one came back. */
  status?: number;
  /** Why no usable answer came back: refused, timed out, TLS, missing secret. */
  error?: string;
  /** Each failed condition explained; for `degraded`, the degraded conditions that matched. */
  failures: string[];
  /** Worth knowing but not a failure, e.g. a body over the cap that no condition needed. */
  warnings: string[];
  /** ISO time the peer certificate expires (https targets through the built-in transport). */
  certificateExpiresAt?: string;
  /** ISO time the (last) attempt started. */
  at: string;
  /** 1 plus the retries used. */
  attempts: number;
}

/** Builds a result from an attempt's findings: failures mean down, degraded reasons mean degraded. */
export function makeResult(fields: {
  startedAt: number;
  latencyMs: number;
  status?: number;
  error?: string;
  failures?: string[];
  degradedBy?: string[];
  warnings?: string[];
  certificateExpiresAt?: string;
}): ProbeResult {
  const failures = [...(fields.error ? [fields.error] : []), ...(fields.failures ?? [])];
  const outcome: ProbeOutcome = failures.length ? 'down' : fields.degradedBy?.length ? 'degraded' : 'up';
  return {
    ok: outcome !== 'down',
    outcome,
    latencyMs: Math.round(fields.latencyMs),
    ...(fields.status !== undefined ? { status: fields.status } : {}),
    ...(fields.error ? { error: fields.error } : {}),
    failures: outcome === 'degraded' ? (fields.degradedBy ?? []) : failures,
    warnings: fields.warnings ?? [],
    ...(fields.certificateExpiresAt ? { certificateExpiresAt: fields.certificateExpiresAt } : {}),
    at: new Date(fields.startedAt).toISOString(),
    attempts: 1,
  };
}

/**
 * Runs an attempt, and again up to `retries` times while it is down: a single dropped packet should not
 * mark a service unhealthy. A degraded answer is an answer and is not retried.
 */
export async function withRetries(
  retries: number,
  signal: AbortSignal,
  attempt: () => Promise<ProbeResult>,
): Promise<ProbeResult> {
  let result = await attempt();
  let attempts = 1;
  while (result.outcome === 'down' && attempts <= retries && !signal.aborted) {
    result = await attempt();
    attempts++;
  }
  return { ...result, attempts };
}

/** Shortest readable form of an error: the message, with the code when the message hides it. */
export function describeError(error: unknown): string {
  // A server's own error text (a PostgreSQL ErrorResponse, a TLS alert) is shown as text, never as terminal codes.
  if (!(error instanceof Error)) return printable(String(error));
  const code = (error as NodeJS.ErrnoException).code;
  const message = printable(error.message || code || error.name);
  return code && !message.includes(code) ? `${message} (${code})` : message;
}
