/**
 * One HTTP exchange with a hard deadline and a capped body. The built-in transport is node:http(s) on a
 * fresh connection (so latency includes connect and TLS, as an outside user sees it, and the peer
 * certificate is readable); an injected fetch replaces it. Redirects are not followed: a health endpoint
 * that redirects is reported as such.
 */
import http, { type ClientRequestArgs, type IncomingMessage } from 'node:http';
import https from 'node:https';
import net, { isIP, type NetConnectOpts } from 'node:net';
import tls, { type ConnectionOptions, type TLSSocket } from 'node:tls';
import { urlToHttpOptions } from 'node:url';
import { type Cutoff, cutoff, deadline, formatMs } from '../timing/index.js';
import { describeError } from './types.js';

export interface ExchangeOptions {
  url: URL;
  method: string;
  headers: Record<string, string>;
  timeoutMs: number;
  maxBodyBytes: number;
  signal: AbortSignal;
  /** Extra CA certificates (PEM) to trust, for internal or self-signed endpoints. */
  ca?: string;
  fetch?: typeof fetch;
  /** Reuse connections (keep-alive) instead of one fresh connection per exchange. */
  agents?: { http: http.Agent; https: https.Agent };
}

export interface HttpExchange {
  status: number;
  /** Lower-cased names. */
  headers: Record<string, string>;
  body: string;
  truncated: boolean;
  /** ISO expiry of the peer certificate, when the built-in transport spoke TLS. */
  certificateExpiresAt?: string;
}

/** A failed exchange, with a message fit to show (no stack, no secrets: URLs carry none). */
export class ExchangeError extends Error {
  override name = 'ExchangeError';
}

export async function exchange(options: ExchangeOptions): Promise<HttpExchange> {
  const progress = { phase: 'waiting for a response', bytes: 0 };
  let limit: Cutoff | undefined;
  try {
    if (options.fetch) {
      const d = deadline(options.signal, options.timeoutMs);
      limit = d;
      return await viaFetch(options, options.fetch, d.signal, progress);
    }
    const open = openRequest(options);
    // The request is stopped directly: a signal and its listener per check cost more than the rest of the limit.
    limit = cutoff(options.signal, options.timeoutMs, () => open.req.destroy(new Error('aborted')));
    return await viaNode(open, options, progress);
  } catch (error) {
    if (limit?.timedOut) {
      const received = progress.bytes ? ` (${formatBytes(progress.bytes)} received)` : '';
      throw new ExchangeError(`timed out after ${formatMs(options.timeoutMs)} ${progress.phase}${received}`);
    }
    if (options.signal.aborted) throw new ExchangeError('aborted');
    const cause = (error as { cause?: unknown }).cause;
    throw new ExchangeError(describeError(error instanceof TypeError && cause ? cause : error));
  } finally {
    limit?.dispose();
  }
}

type Progress = { phase: string; bytes: number };

function openRequest(options: ExchangeOptions) {
  const secure = options.url.protocol === 'https:';
  const client = secure ? https : http;
  const agent = options.agents ? (secure ? options.agents.https : options.agents.http) : false;
  const req = client.request({
    ...target(options.url, secure, agent),
    method: options.method,
    headers: options.headers,
    ...(options.ca ? { ca: options.ca } : {}),
  });
  // Errors after the exchange settled (a reset while we drop a capped body) must not become uncaught.
  req.on('error', () => {});
  return { req, agent };
}

async function viaNode(
  { req, agent }: ReturnType<typeof openRequest>,
  options: ExchangeOptions,
  progress: Progress,
) {
  let reusable = false;
  try {
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      req.once('response', resolve);
      req.once('error', reject);
      // Stopped before it was sent (the engine's signal had already aborted).
      if (req.destroyed) reject(new Error('aborted'));
      else req.end();
    });
    res.on('error', () => {});
    const certificate = (res.socket as Partial<TLSSocket>).getPeerCertificate?.();
    const validTo = certificate?.valid_to ? new Date(certificate.valid_to) : undefined;
    progress.phase = 'while reading the body';
    const body = await readResponse(res, options.maxBodyBytes, progress);
    // A body read to its end leaves the connection clean for the agent's next exchange.
    reusable = Boolean(agent) && !body.truncated;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(res.headers))
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    return {
      status: res.statusCode ?? 0,
      headers,
      ...body,
      ...(validTo && !Number.isNaN(validTo.getTime()) ? { certificateExpiresAt: validTo.toISOString() } : {}),
    };
  } finally {
    if (!reusable) req.destroy();
  }
}

async function viaFetch(options: ExchangeOptions, f: typeof fetch, signal: AbortSignal, progress: Progress) {
  const res = await f(options.url, {
    method: options.method,
    headers: options.headers,
    signal,
    redirect: 'manual',
  });
  progress.phase = 'while reading the body';
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  const body = res.body
    ? await readCapped(res.body as AsyncIterable<Uint8Array>, options.maxBodyBytes, progress)
    : { body: '', truncated: false };
  return { status: res.status, headers, ...body };
}

/**
 * Where the request goes, and how it connects. With keep-alive agents, through them. Otherwise on a connection of
 * its own, opened here: `agent: false` made a throwaway Agent per check (its socket bookkeeping, TLS server name and
 * removal), about a tenth of a check's CPU at 2,000 checks/s. The server name is set as the Agent would set it.
 */
function target(url: URL, secure: boolean, agent: http.Agent | false) {
  const where = urlToHttpOptions(url);
  const port = where.port || (secure ? 443 : 80);
  if (agent) return { ...where, port, agent };
  const createConnection = (o: ClientRequestArgs) => {
    const host = o.host ?? undefined;
    return secure
      ? tls.connect({ ...(o as ConnectionOptions), servername: host && !isIP(host) ? host : undefined })
      : net.createConnection(o as NetConnectOpts);
  };
  return { ...where, port, createConnection };
}

/** The body so far, cut at `max` bytes. */
function cappedBody(max: number, progress: Progress) {
  const chunks: Uint8Array[] = [];
  let truncated = false;
  return {
    /** False once the cap is reached: the rest is not read. */
    add(chunk: Uint8Array): boolean {
      const room = max - progress.bytes;
      if (chunk.byteLength > room) {
        chunks.push(chunk.subarray(0, room));
        progress.bytes = max;
        truncated = true;
        return false;
      }
      chunks.push(chunk);
      progress.bytes += chunk.byteLength;
      return true;
    },
    result: () => ({ body: Buffer.concat(chunks).toString('utf8'), truncated }),
  };
}

/**
 * Reads at most `max` bytes of a node:http response; past that the stream is dropped and the body marked truncated.
 * By its events: an async iterator over the response cost a promise per chunk and its stream bookkeeping.
 */
function readResponse(res: IncomingMessage, max: number, progress: Progress) {
  const body = cappedBody(max, progress);
  return new Promise<{ body: string; truncated: boolean }>((resolve, reject) => {
    const stop = () => {
      res.off('data', onData);
      res.off('end', settle);
      res.off('error', fail);
      res.off('close', closed);
    };
    const settle = () => {
      stop();
      resolve(body.result());
    };
    const fail = (error: Error) => {
      stop();
      reject(error);
    };
    // Destroyed without an error (node emits one for a reset or an abort, but not for every way a stream ends).
    const closed = () => fail(new Error('the connection closed before the body ended'));
    const onData = (chunk: Buffer) => {
      if (body.add(chunk)) return;
      // Dropped mid-response, so a keep-alive agent cannot hand the connection to the next check.
      res.destroy();
      settle();
    };
    res.on('data', onData);
    res.once('end', settle);
    res.once('error', fail);
    res.once('close', closed);
  });
}

/** The same for a fetch response's body. */
async function readCapped(stream: AsyncIterable<Uint8Array>, max: number, progress: Progress) {
  const body = cappedBody(max, progress);
  for await (const chunk of stream) if (!body.add(chunk)) break;
  return body.result();
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / 1024 / 1024).toFixed(1))} MiB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KiB`;
  return `${bytes} bytes`;
}
