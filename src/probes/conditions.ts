/** Conditions on a health answer: status, JSON body fields, body text and headers, each failure explained. */
import type { HealthEndpoint } from '../config/index.js';
import { printable } from '../output/printable.js';

export type BodyCondition = NonNullable<HealthEndpoint['degraded']>[number];

const MISSING = Symbol('missing');

/** Paths split once: a monitor engine checks the same few paths thousands of times a second. */
const splitPaths = new Map<string, readonly string[]>();

/** Splits `services.db.status`, `checks[0].status` and `checks.0.status` into keys. */
function pathKeys(path: string): readonly string[] {
  let keys = splitPaths.get(path);
  if (!keys) {
    keys = path
      .replace(/\[(\d+)\]/g, '.$1')
      .split('.')
      .filter((k) => k !== '');
    // Paths come from the config, so the map stays small; the cap guards a caller passing arbitrary paths.
    if (splitPaths.size < 10_000) splitPaths.set(path, keys);
  }
  return keys;
}

/** The value at a dotted path with array indexes, or MISSING. */
export function valueAt(body: unknown, path: string): unknown {
  let current: unknown = body;
  for (const key of pathKeys(path)) {
    if (Array.isArray(current) && /^\d+$/.test(key)) {
      const index = Number(key);
      if (index >= current.length) return MISSING;
      current = current[index];
    } else if (current !== null && typeof current === 'object' && Object.hasOwn(current, key)) {
      current = (current as Record<string, unknown>)[key];
    } else return MISSING;
  }
  return current;
}

// The endpoint's text as it may reach a terminal, a log or a page.
export { printable };

/** A value as a failure message shows it: strings quoted (control characters as \xNN), long JSON cut. */
export function showValue(value: unknown): string {
  const text = typeof value === 'string' ? `'${printable(value)}'` : showJson(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * JSON.stringify recurses: a body of a few hundred thousand nested arrays (well under the 1 MiB cap) overflowed the
 * stack, and the probe threw instead of failing (health exited 70, serve recorded no result for the monitor).
 */
function showJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return 'a value nested too deeply to show';
  }
}

/** Why the condition does not hold on `body`, or undefined when it holds. */
export function checkBodyCondition(body: unknown, c: BodyCondition): string | undefined {
  const value = valueAt(body, c.path);
  const is = value === MISSING ? `${c.path} is missing` : `${c.path} is ${showValue(value)}`;
  if (c.exists !== undefined) {
    if (c.exists === (value !== MISSING)) return undefined;
    return c.exists ? `${c.path} is missing, expected it to exist` : `${is}, expected it to be absent`;
  }
  if (c.equals !== undefined)
    return value === c.equals ? undefined : `${is}, expected ${showValue(c.equals)}`;
  if (c.in !== undefined)
    return c.in.some((v) => v === value)
      ? undefined
      : `${is}, expected one of ${c.in.map(showValue).join(', ')}`;
  if (c.matches !== undefined) {
    let pattern: RegExp;
    try {
      pattern = new RegExp(c.matches);
    } catch {
      return `${c.path}: '${c.matches}' is not a valid regular expression`;
    }
    const text = typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
    return text !== undefined && pattern.test(text) ? undefined : `${is}, expected to match /${c.matches}/`;
  }
  if (c.lessThan !== undefined || c.greaterThan !== undefined) {
    const [op, limit] =
      c.lessThan !== undefined ? ['less than', c.lessThan] : ['greater than', c.greaterThan!];
    if (typeof value !== 'number') return `${is}, expected a number ${op} ${limit}`;
    const holds = c.lessThan !== undefined ? value < limit : value > limit;
    return holds ? undefined : `${is}, expected ${op} ${limit}`;
  }
  return undefined;
}

export function checkStatus(status: number, expected: number | number[]): string | undefined {
  const list = Array.isArray(expected) ? expected : [expected];
  if (list.includes(status)) return undefined;
  return `status ${status}, expected ${list.length === 1 ? list[0] : `one of ${list.join(', ')}`}`;
}

/**
 * Expected header values match the whole value or its part before `;`, so `content-type: application/json`
 * accepts `application/json; charset=utf-8`.
 */
export function checkHeaders(actual: Record<string, string>, expected: Record<string, string>): string[] {
  const failures: string[] = [];
  for (const [name, want] of Object.entries(expected)) {
    const got = actual[name.toLowerCase()];
    if (got === undefined) failures.push(`header ${name} is missing, expected '${want}'`);
    else if (got.trim() !== want.trim() && got.split(';')[0]?.trim() !== want.trim())
      failures.push(`header ${name} is ${showValue(got)}, expected '${want}'`);
  }
  return failures;
}
