/** The HTTP(S) probe: one request (plus retries), every condition checked and each failure explained. */
import { performance } from 'node:perf_hooks';
import { formatMs } from '../timing/index.js';
import { type HealthAuth, resolveAuth } from './auth.js';
import {
  type BodyCondition,
  checkBodyCondition,
  checkHeaders,
  checkStatus,
  printable,
  showValue,
  valueAt,
} from './conditions.js';
import { ExchangeError, exchange, formatBytes, type HttpExchange } from './http-transport.js';
import { makeResult, type ProbeContext, type ProbeResult, withRetries } from './types.js';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_HTTP_TIMEOUT_MS = 10_000;

export interface HttpExpectation {
  /** Default 200. */
  status?: number | number[];
  body?: BodyCondition[];
  contains?: string;
  headers?: Record<string, string>;
  /** Fail when the TLS certificate expires sooner than this. */
  certificateValidForMs?: number;
}

export interface HttpTarget {
  url: string;
  method?: 'GET' | 'HEAD' | 'POST';
  auth?: HealthAuth;
  expect?: HttpExpectation;
  /** Body conditions that, when any holds on an otherwise passing answer, mean degraded. */
  degraded?: BodyCondition[];
  latencyBudgetMs?: number;
  timeoutMs?: number;
  /** Further attempts while down. Default 0. */
  retries?: number;
  maxBodyBytes?: number;
  /** Extra CA certificates (PEM) to trust. */
  ca?: string;
}

export async function probeHttp(target: HttpTarget, ctx: ProbeContext): Promise<ProbeResult> {
  const now = ctx.now ?? Date.now;
  const auth = resolveAuth(target.auth, ctx);
  // A missing secret will not appear on retry: fail once, naming the variable.
  if ('missing' in auth) return makeResult({ startedAt: now(), latencyMs: 0, error: auth.missing });
  let url: URL;
  try {
    url = new URL(target.url);
  } catch {
    return makeResult({ startedAt: now(), latencyMs: 0, error: `'${target.url}' is not an absolute URL` });
  }
  return withRetries(target.retries ?? 0, ctx.signal, async () => {
    const startedAt = now();
    const t0 = performance.now();
    try {
      const ex = await exchange({
        url,
        method: target.method ?? 'GET',
        headers: { 'user-agent': 'opsbook-probe', accept: 'application/json, */*', ...auth.headers },
        timeoutMs: target.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS,
        maxBodyBytes: target.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
        signal: ctx.signal,
        ...(target.ca ? { ca: target.ca } : {}),
        ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
        ...(ctx.agents ? { agents: ctx.agents } : {}),
      });
      const latencyMs = performance.now() - t0;
      return makeResult({
        startedAt,
        latencyMs,
        status: ex.status,
        ...evaluate(target, ex, latencyMs, now()),
        ...(ex.certificateExpiresAt ? { certificateExpiresAt: ex.certificateExpiresAt } : {}),
      });
    } catch (error) {
      if (!(error instanceof ExchangeError)) throw error;
      return makeResult({ startedAt, latencyMs: performance.now() - t0, error: error.message });
    }
  });
}

function evaluate(target: HttpTarget, ex: HttpExchange, latencyMs: number, nowMs: number) {
  const expect = target.expect ?? {};
  const failures: string[] = [];
  const warnings: string[] = [];
  const degradedBy: string[] = [];
  const statusFailure = checkStatus(ex.status, expect.status ?? 200);
  if (statusFailure) failures.push(statusFailure);
  if (expect.headers) failures.push(...checkHeaders(ex.headers, expect.headers));
  if (expect.certificateValidForMs !== undefined)
    failures.push(...checkCertificate(target.url, ex, expect.certificateValidForMs, nowMs));
  if (target.latencyBudgetMs !== undefined && latencyMs > target.latencyBudgetMs)
    failures.push(
      `response took ${formatMs(latencyMs)}, over the ${formatMs(target.latencyBudgetMs)} budget`,
    );

  // Only a truncated body mentions the cap.
  const cap = ex.truncated ? formatBytes(target.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES) : '';
  if (ex.truncated) warnings.push(`body over ${cap}, truncated`);
  if (expect.contains !== undefined && !ex.body.includes(expect.contains))
    failures.push(`body does not contain '${expect.contains}'${ex.truncated ? ` in its first ${cap}` : ''}`);

  const bodyConditions = expect.body ?? [];
  const degradedConditions = target.degraded ?? [];
  if (bodyConditions.length || degradedConditions.length) {
    const parsed = parseBody(ex, cap);
    if ('failure' in parsed) failures.push(parsed.failure);
    else {
      for (const c of bodyConditions) {
        const failure = checkBodyCondition(parsed.json, c);
        if (failure) failures.push(failure);
      }
      for (const c of degradedConditions)
        if (!checkBodyCondition(parsed.json, c))
          degradedBy.push(`${c.path} is ${showValue(valueAt(parsed.json, c.path))} (degraded)`);
    }
  }
  return { failures, warnings, degradedBy };
}

function parseBody(ex: HttpExchange, cap: string): { json: unknown } | { failure: string } {
  if (ex.truncated) return { failure: `body over ${cap}, truncated: its conditions were not checked` };
  try {
    return { json: JSON.parse(ex.body) };
  } catch (error) {
    const excerpt = printable(ex.body.trim().slice(0, 40).replace(/\s+/g, ' '));
    return {
      failure: `body is not JSON (${printable((error as Error).message)}); it starts ${excerpt ? `'${excerpt}'` : 'empty'}, and body conditions need JSON`,
    };
  }
}

function checkCertificate(url: string, ex: HttpExchange, validForMs: number, nowMs: number): string[] {
  if (!url.startsWith('https:')) return [`certificateValidFor needs an https URL, not ${url}`];
  if (!ex.certificateExpiresAt)
    return ['the certificate could not be read (the probe ran through an injected fetch)'];
  const left = Date.parse(ex.certificateExpiresAt) - nowMs;
  if (left >= validForMs) return [];
  const when = left <= 0 ? `expired ${formatMs(-left)} ago` : `expires in ${formatMs(left)}`;
  return [`certificate ${when} (${ex.certificateExpiresAt}), expected at least ${formatMs(validForMs)}`];
}
