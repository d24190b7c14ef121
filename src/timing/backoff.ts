/** How long to wait before attempt N+1: the one exponential backoff every retry loop uses. */

export interface BackoffOptions {
  /** The wait after the first failure (before any jitter). */
  baseMs: number;
  /** No wait grows past this. Default: no cap. */
  maxMs?: number;
  /** Growth per attempt. Default 2. */
  factor?: number;
  /**
   * 'none': the wait itself; 'equal': between half of it and all of it (spreads callers, keeps a floor);
   * 'full': anywhere from 0 to all of it. Default 'none'.
   */
  jitter?: 'none' | 'equal' | 'full';
  random?: () => number;
}

/** Attempt 1 (the first failure) waits about `baseMs`, attempt 2 about `factor` times that..., in whole ms. */
export function backoffDelay(attempt: number, options: BackoffOptions): number {
  const ceiling = Math.min(
    options.maxMs ?? Number.POSITIVE_INFINITY,
    options.baseMs * (options.factor ?? 2) ** (attempt - 1),
  );
  const jitter = options.jitter ?? 'none';
  if (jitter === 'none') return Math.round(ceiling);
  const r = (options.random ?? Math.random)();
  return Math.round(jitter === 'equal' ? ceiling / 2 + (ceiling / 2) * r : ceiling * r);
}
