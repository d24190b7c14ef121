/** Connection URLs of databases and caches: shown without their password, and their secrets registered. */
import { credentialPassword, scrubConnection } from '../redact/index.js';
import type { ProbeContext } from './types.js';

export interface ConnectionTarget {
  /** postgres://, postgresql://, redis:// or rediss:// with credentials, as the app's env var holds it. */
  url: string;
  /** Default 5 s: a dependency check should fail fast. */
  timeoutMs?: number;
  /** Further attempts while down. Default 0. */
  retries?: number;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

/** `scheme://user@host:port/db`: enough to tell which server, never the password. */
export function describeConnection(url: string): string {
  try {
    const u = new URL(url);
    const user = u.username ? `${decodeURIComponent(u.username)}@` : '';
    return `${u.protocol}//${user}${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return 'an unparsable URL';
  }
}

/** Registers the URL and its password with the redactor; returns a scrubber for messages as a second guard. */
export function guardSecrets(url: string, ctx: ProbeContext): (message: string) => string {
  ctx.redactor?.add([url, credentialPassword(url)]);
  return (message) => scrubConnection(message.split(url).join(describeConnection(url)), url);
}
