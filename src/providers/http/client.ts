/**
 * The JSON client every platform provider uses: auth header, per-request timeout, retries with backoff on 429,
 * 5xx and network errors (only when the request is safe to repeat), and redacted `ProviderError`s.
 */
import { ProviderError } from '../../errors.js';
import { type BackoffOptions, backoffDelay, formatMs } from '../../timing/index.js';
import type { ProviderContext } from '../types.js';
import { excerptBody, OutcomeUnknownError, readErrorMessage } from './errors.js';
import { readRateLimitWait } from './retry.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type QueryValue = string | number | boolean | undefined | readonly string[];

export interface ApiRequest {
  method?: HttpMethod;
  /** Appended to the base URL, e.g. `/services/srv-1/deploys`. */
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** Safe to send again after a timeout, a network error or a 5xx. Defaults to true for GET only. */
  idempotent?: boolean;
  /** What to call the request in messages (GraphQL operation names); defaults to `METHOD path`. */
  label?: string;
  /** Extra headers (Heroku's `Range` for newest-first lists). */
  headers?: Record<string, string>;
}

export interface ApiClientOptions {
  provider: string;
  baseUrl: string;
  /** Reads the token for a call from `ctx.env`; throws a UserError when it is missing. */
  token: (ctx: ProviderContext) => string;
  /** Default: `Authorization: Bearer <token>`. */
  authHeaders?: (token: string) => Record<string, string>;
  timeoutMs?: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A 429 asking for a longer wait than this fails instead of stalling the run. */
  maxRateLimitWaitMs?: number;
  random?: () => number;
}

export interface ApiClient {
  readonly provider: string;
  request<T>(request: ApiRequest, ctx: ProviderContext): Promise<T>;
}

/** Tuning shared by the provider factories' options. */
export type HttpTuning = Pick<
  ApiClientOptions,
  'timeoutMs' | 'maxAttempts' | 'baseDelayMs' | 'maxDelayMs' | 'maxRateLimitWaitMs' | 'random'
>;

export function createApiClient(options: ApiClientOptions): ApiClient {
  const settings = {
    timeoutMs: options.timeoutMs ?? 30_000,
    maxAttempts: options.maxAttempts ?? 5,
    maxRateLimitWaitMs: options.maxRateLimitWaitMs ?? 300_000,
    backoff: {
      baseMs: options.baseDelayMs ?? 1_000,
      maxMs: options.maxDelayMs ?? 30_000,
      jitter: 'equal',
      random: options.random ?? Math.random,
    } satisfies BackoffOptions,
  };
  const authHeaders = options.authHeaders ?? ((token: string) => ({ authorization: `Bearer ${token}` }));
  const base = options.baseUrl.replace(/\/+$/, '');
  const { provider } = options;

  return {
    provider,
    async request<T>(request: ApiRequest, ctx: ProviderContext): Promise<T> {
      const method = request.method ?? 'GET';
      const idempotent = request.idempotent ?? method === 'GET';
      const label = request.label ?? `${method} ${request.path}`;
      const url = buildUrl(base, request.path, request.query);
      const token = options.token(ctx);
      ctx.redactor.add([token]);
      const headers: Record<string, string> = {
        accept: 'application/json',
        ...authHeaders(token),
        ...request.headers,
      };
      if (request.body !== undefined) headers['content-type'] = 'application/json';
      const body = request.body === undefined ? undefined : JSON.stringify(request.body);
      const fail = (message: string, status?: number, excerpt?: string) =>
        new ProviderError(provider, ctx.redactor.redact(`${provider}: ${label} ${message}`), status, excerpt);

      for (let attempt = 1; ; attempt++) {
        const last = attempt >= settings.maxAttempts;
        const retryIn = async (delayMs: number, why: string) => {
          ctx.log(
            ctx.redactor.redact(
              `${provider}: ${label} ${why}; retrying in ${formatMs(delayMs)} (attempt ${attempt + 1}/${settings.maxAttempts})`,
            ),
          );
          await ctx.sleep(delayMs);
        };

        let response: Response;
        let text: string;
        try {
          const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(settings.timeoutMs)]);
          response = await ctx.fetch(url, { method, headers, body, signal });
          text = await response.text();
        } catch (error) {
          if (ctx.signal.aborted) throw ctx.signal.reason ?? error;
          const why =
            error instanceof Error && error.name === 'TimeoutError'
              ? `timed out after ${formatMs(settings.timeoutMs)}`
              : `failed to connect (${error instanceof Error ? error.message : String(error)})`;
          if (!idempotent) {
            throw new OutcomeUnknownError(
              provider,
              ctx.redactor.redact(`${provider}: ${label} ${why}; it may or may not have been applied`),
            );
          }
          if (last) throw fail(`${why} (gave up after ${attempt} attempts)`);
          await retryIn(backoffDelay(attempt, settings.backoff), why);
          continue;
        }

        const { status } = response;
        if (status >= 200 && status < 300)
          return parseJson<T>(text, () =>
            fail('returned a body that is not JSON', status, excerptBody(text, ctx.redactor)),
          );

        const excerpt = excerptBody(text, ctx.redactor);
        const detail = readErrorMessage(text);
        const what = `failed with HTTP ${status}${detail ? `: ${detail}` : ''}`;
        if (status === 429) {
          // A 429 means the request was refused before it did anything, so even a create is safe to resend.
          const asked = readRateLimitWait(response.headers, ctx.now());
          if (asked !== undefined && asked > settings.maxRateLimitWaitMs) {
            throw fail(`was rate limited for ${formatMs(asked)}, longer than opsbook waits`, status, excerpt);
          }
          if (last) throw fail(`${what} (still rate limited after ${attempt} attempts)`, status, excerpt);
          const jitter = Math.round(settings.backoff.random() * 250);
          await retryIn(
            (asked ?? backoffDelay(attempt, settings.backoff)) + jitter,
            'was rate limited (429)',
          );
          continue;
        }
        if (status >= 500) {
          if (!idempotent) {
            throw new OutcomeUnknownError(
              provider,
              ctx.redactor.redact(`${provider}: ${label} ${what}; it may or may not have been applied`),
              status,
              excerpt,
            );
          }
          if (last) throw fail(`${what} (gave up after ${attempt} attempts)`, status, excerpt);
          await retryIn(backoffDelay(attempt, settings.backoff), `got HTTP ${status}`);
          continue;
        }
        throw fail(what, status, excerpt);
      }
    },
  };
}

function buildUrl(base: string, path: string, query: ApiRequest['query']): string {
  const url = new URL(`${base}${path}`);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) url.searchParams.append(key, item);
    else url.searchParams.set(key, String(value));
  }
  return url.toString();
}

function parseJson<T>(text: string, invalid: () => Error): T {
  if (text.trim() === '') return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw invalid();
  }
}
