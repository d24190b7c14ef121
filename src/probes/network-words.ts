/**
 * Network errors in words a person acts on: "nothing listens at 127.0.0.1:5432" instead of
 * "connect ECONNREFUSED 127.0.0.1:5432" or undici's bare "fetch failed" (whose reason hides in `cause`).
 */

interface Errno {
  code?: unknown;
  address?: unknown;
  port?: unknown;
  hostname?: unknown;
  message?: unknown;
  cause?: unknown;
}

const PATTERNS: [RegExp, (where: string) => string][] = [
  [/connect ECONNREFUSED (\S+?)(?=[\s;,)]|$)/g, (w) => `nothing listens at ${w} (connection refused)`],
  [
    /getaddrinfo (?:ENOTFOUND|EAI_AGAIN) (\S+?)(?=[\s;,)]|$)/g,
    (w) => `${w} does not resolve (no DNS record)`,
  ],
  [/connect (?:EHOSTUNREACH|ENETUNREACH) (\S+?)(?=[\s;,)]|$)/g, (w) => `${w} cannot be reached (no route)`],
  [/connect ETIMEDOUT (\S+?)(?=[\s;,)]|$)/g, (w) => `${w} did not answer the connection (timed out)`],
];

/** Rewrites the raw network phrases inside a message; other text is kept as it is. */
export function plainNetworkText(text: string): string {
  let out = text;
  for (const [pattern, say] of PATTERNS) out = out.replace(pattern, (_m, where: string) => say(where));
  return out;
}

/** The most telling description of a thrown error: the innermost cause with an errno code wins over "fetch failed". */
export function plainNetworkError(error: unknown): string {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const { code, address, port, hostname } = e as Errno;
    const where = typeof address === 'string' ? `${address}${port ? `:${port}` : ''}` : undefined;
    if (code === 'ECONNREFUSED' && where) return `nothing listens at ${where} (connection refused)`;
    if ((code === 'ENOTFOUND' || code === 'EAI_AGAIN') && typeof hostname === 'string')
      return `${hostname} does not resolve (no DNS record)`;
    if ((code === 'EHOSTUNREACH' || code === 'ENETUNREACH') && where)
      return `${where} cannot be reached (no route)`;
    e = (e as Errno).cause;
  }
  const message = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
  return plainNetworkText(cause && message === 'fetch failed' ? `${message}: ${cause}` : message);
}

/** True when the text says a connection was refused (in the raw or the plain words). */
export const isRefused = (text: string): boolean =>
  /ECONNREFUSED|nothing listens at|connect.*refused/i.test(text);
