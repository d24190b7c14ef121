/** Errors from platform calls: always `ProviderError`, with a short body excerpt that has been through the redactor. */
import { ProviderError } from '../../errors.js';
import { terminalSafe } from '../../output/index.js';
import type { Redactor } from '../../redact/index.js';

const EXCERPT_LENGTH = 300;

/**
 * A request that is not safe to repeat (a "create deploy" POST) timed out, lost its connection or got a 5xx:
 * the platform may or may not have applied it. Callers reconcile (look for what it created) before retrying.
 */
export class OutcomeUnknownError extends ProviderError {
  override name = 'OutcomeUnknownError';
}

/** A short, single-line, redacted excerpt of a response body, its control characters shown, never acted on. */
export function excerptBody(text: string, redactor: Redactor): string {
  const flat = terminalSafe(redactor.redact(text).replace(/\s+/g, ' ').trim());
  return flat.length > EXCERPT_LENGTH ? `${flat.slice(0, EXCERPT_LENGTH)}…` : flat;
}

/** The human part of an error body: Render `{message}`, Vercel `{error:{message}}`, GraphQL `{errors:[{message}]}`. */
export function readErrorMessage(text: string): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!body || typeof body !== 'object') return undefined;
  const record = body as { message?: unknown; error?: unknown; errors?: unknown };
  if (typeof record.message === 'string') return record.message;
  if (typeof record.error === 'string') return record.error;
  if (record.error && typeof record.error === 'object') {
    const message = (record.error as { message?: unknown }).message;
    if (typeof message === 'string') return message;
  }
  if (Array.isArray(record.errors)) {
    const messages = record.errors
      .map((e) => (e && typeof e === 'object' ? (e as { message?: unknown }).message : undefined))
      .filter((m): m is string => typeof m === 'string');
    if (messages.length) return messages.join('; ');
  }
  return undefined;
}
