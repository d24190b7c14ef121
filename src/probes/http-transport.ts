/**
 * One HTTP exchange with a hard deadline and a capped body. The built-in transport is node:http(s) on a
 * fresh connection (so latency includes connect and TLS, as an outside user sees it, and the peer
 * certificate is readable); an injected fetch replaces it. Redirects are not followed: a health endpoint
 * that redirects is reported as such.
 */
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { deadline, formatMs } from '../timing/index.js';
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
  const limit = deadline(options.signal, options.timeoutMs);
  const signal = limit.signal;
  const progress = { phase: 'waiting for a response', bytes: 0 };
  try {
    return options.fetch
      ? await viaFetch(options, options.fetch, signal, progress)
      : await viaNode(options, signal, progress);
  } catch (error) {
    if (limit.timedOut) {
      const received = progress.bytes ? ` (${formatBytes(progress.bytes)} received)` : '';
      throw new ExchangeError(`timed out after ${formatMs(options.timeoutMs)} ${progress.phase}${received}`);
    }
    if (options.signal.aborted) throw new ExchangeError('aborted');
    const cause = (error as { cause?: unknown }).cause;
    throw new ExchangeError(describeError(error instanceof TypeError && cause ? cause : error));
  } finally {
    limit.dispose();
  }
}

type Progress = { phase: string; bytes: number };

async function viaNode(options: ExchangeOptions, signal: AbortSignal, progress: Progress) {
  const secure = options.url.protocol === 'https:';
  const client = secure ? https : http;
  const agent = options.agents ? (secure ? options.agents.https : options.agents.http) : false;
  let reusable = false;
  const req = client.request(options.url, {
    method: options.method,
    headers: options.headers,
    agent,
    ...(options.ca ? { ca: options.ca } : {}),
  });
  // Errors after the exchange settled (a reset while we drop a capped body) must not become uncaught.
  req.on('error', () => {});
  const abort = () => req.destroy(new Error('aborted'));
  signal.addEventListener('abort', abort, { once: true });
  try {
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      req.once('response', resolve);
      req.once('error', reject);
      req.end();
    });
    res.on('error', () => {});
    const certificate = (res.socket as Partial<TLSSocket>).getPeerCertificate?.();
    const validTo = certificate?.valid_to ? new Date(certificate.valid_to) : undefined;
    progress.phase = 'while reading the body';
    const body = await readCapped(res, options.maxBodyBytes, progress);
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
    signal.removeEventListener('abort', abort);
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

/** Reads at most `max` bytes; past that the stream is dropped and the body marked truncated. */
async function readCapped(stream: AsyncIterable<Uint8Array>, max: number, progress: Progress) {
  const chunks: Uint8Array[] = [];
  let truncated = false;
  for await (const chunk of stream) {
    const room = max - progress.bytes;
    if (chunk.byteLength > room) {
      chunks.push(chunk.subarray(0, room));
      progress.bytes = max;
      truncated = true;
      break;
    }
    chunks.push(chunk);
    progress.bytes += chunk.byteLength;
  }
  return { body: Buffer.concat(chunks).toString('utf8'), truncated };
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / 1024 / 1024).toFixed(1))} MiB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KiB`;
  return `${bytes} bytes`;
}
