/** The TCP probe: can a connection be opened? Latency is the connect time. */
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { type Cutoff, cutoff, formatMs } from '../timing/index.js';
import { DEFAULT_CONNECT_TIMEOUT_MS } from './connection.js';
import { describeError, makeResult, type ProbeContext, type ProbeResult, withRetries } from './types.js';

export interface TcpTarget {
  host: string;
  port: number;
  timeoutMs?: number;
  retries?: number;
}

export async function probeTcp(target: TcpTarget, ctx: ProbeContext): Promise<ProbeResult> {
  const now = ctx.now ?? Date.now;
  const timeoutMs = target.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  return withRetries(target.retries ?? 0, ctx.signal, async () => {
    const startedAt = now();
    const t0 = performance.now();
    const error = await new Promise<string | undefined>((resolve) => {
      const socket = connect({ host: target.host, port: target.port });
      let limit: Cutoff | undefined;
      const finish = (message?: string) => {
        limit?.dispose();
        socket.destroy();
        resolve(message);
      };
      // Called at once when the engine's signal has already aborted: `finish` then runs before `limit` is set.
      limit = cutoff(ctx.signal, timeoutMs, (timedOut) =>
        finish(timedOut ? `timed out after ${formatMs(timeoutMs)} connecting` : 'aborted'),
      );
      socket.once('connect', () => finish());
      socket.on('error', (e) => finish(describeError(e)));
    });
    return makeResult({ startedAt, latencyMs: performance.now() - t0, ...(error ? { error } : {}) });
  });
}
