/**
 * The last filter before a response leaves: the redactor masks every registered secret, and credentials
 * inside any URL (`scheme://user:pass@host`) are masked even when nobody registered them.
 */
import { maskCredentials } from '../redact/index.js';
import type { ServerContext } from './context.js';

export function scrubText(ctx: Pick<ServerContext, 'redactor'>, text: string): string {
  return maskCredentials(ctx.redactor.redact(text), { hideUser: true });
}

export function publicData<T>(ctx: Pick<ServerContext, 'redactor'>, data: T): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return scrubText(ctx, v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype)
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(data) as T;
}
