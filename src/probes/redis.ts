/**
 * The Redis probe: AUTH (when the URL carries a password), SELECT (when it names a database) and PING in raw RESP
 * over node:net, or node:tls for rediss://. Three commands do not justify a client library.
 */
import { connect as connectTcp, isIP, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { connect as connectTls } from 'node:tls';
import { formatMs } from '../timing/index.js';
import { printable } from './conditions.js';
import { type ConnectionTarget, DEFAULT_CONNECT_TIMEOUT_MS, guardSecrets } from './connection.js';
import { describeError, makeResult, type ProbeContext, type ProbeResult, withRetries } from './types.js';

/** A RESP array of bulk strings: how clients send commands. */
export function encodeCommand(args: string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
}

export interface RedisAddress {
  host: string;
  port: number;
  tls: boolean;
  username: string;
  password: string;
  /** The database number the URL names (`/2`), selected after AUTH. */
  db?: number;
}

export function parseRedisUrl(url: string): RedisAddress | string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'the Redis URL is not a valid URL';
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:')
    return `expected a redis:// or rediss:// URL, not ${u.protocol}//`;
  const path = decodeURIComponent(u.pathname.replace(/^\/+|\/+$/g, ''));
  if (path && !/^\d+$/.test(path))
    return `the Redis URL names database '${printable(path.slice(0, 40))}': expected its number, e.g. redis://host:6379/0`;
  return {
    host: u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    tls: u.protocol === 'rediss:',
    username: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    ...(path ? { db: Number(path) } : {}),
  };
}

export async function probeRedis(target: ConnectionTarget, ctx: ProbeContext): Promise<ProbeResult> {
  const now = ctx.now ?? Date.now;
  const scrub = guardSecrets(target.url, ctx);
  const address = parseRedisUrl(target.url);
  if (typeof address === 'string') return makeResult({ startedAt: now(), latencyMs: 0, error: address });
  const timeoutMs = target.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const commands: string[][] = [];
  // AUTH user pass for Redis 6 ACL users; AUTH pass for the classic requirepass (redis://:pass@host).
  if (address.password)
    commands.push(
      address.username ? ['AUTH', address.username, address.password] : ['AUTH', address.password],
    );
  // The app connects to this database: one the server does not have (DB index out of range) fails it, so it is down
  // here too rather than up on a PING that never looked.
  if (address.db) commands.push(['SELECT', String(address.db)]);
  commands.push(['PING']);
  return withRetries(target.retries ?? 0, ctx.signal, async () => {
    const startedAt = now();
    const t0 = performance.now();
    const error = await converse(address, commands, timeoutMs, ctx.signal);
    return makeResult({
      startedAt,
      latencyMs: performance.now() - t0,
      ...(error ? { error: scrub(error) } : {}),
    });
  });
}

/** Sends the commands and reads one simple reply per command; resolves with an error message or undefined. */
function converse(
  address: RedisAddress,
  commands: string[][],
  timeoutMs: number,
  outer: AbortSignal,
): Promise<string | undefined> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = AbortSignal.any([outer, timeout]);
  return new Promise((resolve) => {
    const socket: Socket = address.tls
      ? connectTls({
          host: address.host,
          port: address.port,
          // SNI carries host names only: Node warns (DEP0123) on an IP address.
          ...(isIP(address.host) ? {} : { servername: address.host }),
        })
      : connectTcp({ host: address.host, port: address.port });
    let buffered = '';
    let replies = 0;
    const finish = (error?: string) => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(error);
    };
    const onAbort = () => finish(timeout.aborted ? `timed out after ${formatMs(timeoutMs)}` : 'aborted');
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) onAbort();
    socket.once(address.tls ? 'secureConnect' : 'connect', () =>
      socket.write(commands.map(encodeCommand).join('')),
    );
    socket.on('data', (chunk) => {
      buffered += chunk.toString('utf8');
      for (let end = buffered.indexOf('\r\n'); end >= 0; end = buffered.indexOf('\r\n')) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        // What the server sent is shown as text: its control characters would reach the reader's terminal.
        if (line.startsWith('-')) return finish(`redis answered: ${printable(line.slice(1))}`);
        if (!line.startsWith('+'))
          return finish(`unexpected reply '${printable(line.slice(0, 40))}': is this a Redis server?`);
        if (++replies === commands.length)
          return finish(
            line === '+PONG' ? undefined : `expected PONG, got '${printable(line.slice(1, 41))}'`,
          );
      }
      if (buffered.length > 4096) finish('unexpected reply: is this a Redis server?');
    });
    socket.on('error', (e) => finish(describeError(e)));
    socket.once('close', () => finish('the server closed the connection before answering PING'));
  });
}
