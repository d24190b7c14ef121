/** The PostgreSQL probe: connect with a short timeout and run `select 1`, as the app's own pool would. */
import { performance } from 'node:perf_hooks';
import type { Client } from 'pg';
import { formatMs } from '../timing/index.js';
import { type ConnectionTarget, DEFAULT_CONNECT_TIMEOUT_MS, guardSecrets } from './connection.js';
import { describeError, makeResult, type ProbeContext, type ProbeResult, withRetries } from './types.js';

export async function probePostgres(target: ConnectionTarget, ctx: ProbeContext): Promise<ProbeResult> {
  // Loaded on first use: a deploy or a command with no PostgreSQL check does not load pg (30 modules).
  const { default: pg } = await import('pg');
  const now = ctx.now ?? Date.now;
  const scrub = guardSecrets(target.url, ctx);
  const timeoutMs = target.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  return withRetries(target.retries ?? 0, ctx.signal, async () => {
    const startedAt = now();
    const t0 = performance.now();
    const timeout = AbortSignal.timeout(timeoutMs);
    let client: Client | undefined;
    let ending: Promise<void> | undefined;
    let stopWaiting: (error: Error) => void = () => {};
    const aborted = new Promise<never>((_, reject) => {
      stopWaiting = reject;
    });
    aborted.catch(() => {});
    const onAbort = () => {
      // pg never settles connect() when end() is called while connecting: stop waiting for it here.
      stopWaiting(new Error('aborted'));
      ending = client?.end().catch(() => {});
    };
    const signal = AbortSignal.any([ctx.signal, timeout]);
    signal.addEventListener('abort', onAbort, { once: true });
    let error: string | undefined;
    try {
      client = new pg.Client({
        connectionString: target.url,
        connectionTimeoutMillis: timeoutMs,
        query_timeout: timeoutMs,
        application_name: 'opsbook-probe',
      });
      // A server that drops the connection later must not crash the process.
      client.on('error', () => {});
      if (signal.aborted) throw new Error('aborted');
      const work = client.connect().then(() => client?.query('select 1'));
      work.catch(() => {});
      await Promise.race([work, aborted]);
    } catch (e) {
      error = timeout.aborted
        ? `timed out after ${formatMs(timeoutMs)}`
        : ctx.signal.aborted
          ? 'aborted'
          : scrub(describeError(e));
    } finally {
      signal.removeEventListener('abort', onAbort);
      // After an abort, end() is already under way and may wait on a server that never answers.
      if (!ending) await client?.end().catch(() => {});
    }
    return makeResult({ startedAt, latencyMs: performance.now() - t0, ...(error ? { error } : {}) });
  });
}
