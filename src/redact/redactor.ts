/**
 * The one redactor. Every byte opsbook prints, logs or stores passes through it, and it masks every value
 * the env contract marks secret (plus any value registered at run time, such as API tokens), and the password
 * of any URL or `password=` pair, registered or not.
 */

import { MASK } from './mask.js';
import { maskCredentials } from './url.js';

const MIN_SECRET_LENGTH = 4;
/**
 * A single word or a small number (`production`, `5432`) cannot be told apart from prose,
 * so masking it would turn "deploying to production" into "deploying to [REDACTED]". Such values are weak
 * secrets, and `env check` says so (env/weak-secret) instead.
 */
const WORDLIKE = /^(?:[A-Za-z]+|\d+)$/;
const MAX_WORDLIKE_LENGTH = 16;

export function isMaskable(value: string): boolean {
  return value.length >= MIN_SECRET_LENGTH && !(value.length <= MAX_WORDLIKE_LENGTH && WORDLIKE.test(value));
}

/** A secret matches only as a whole token: `abcd1234` masks in `key=abcd1234`, not inside `abcd12345`. */
function tokenPattern(secret: string): string {
  const escaped = secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const before = /^\w/.test(secret) ? '(?<![A-Za-z0-9_])' : '';
  const after = /\w$/.test(secret) ? '(?![A-Za-z0-9_])' : '';
  return `${before}${escaped}${after}`;
}

export interface Redactor {
  /** Registers values to mask from now on. Short and word-like values are ignored: see isMaskable. */
  add(values: Iterable<string | undefined>): void;
  redact(text: string): string;
  /** Deep-redacts strings (values and keys) inside plain JSON-like data. */
  redactData<T>(data: T): T;
  readonly size: number;
}

export function createRedactor(initial: Iterable<string | undefined> = []): Redactor {
  const secrets = new Set<string>();
  let pattern: RegExp | undefined;

  const rebuild = () => {
    // Longest first so a secret containing another is masked whole.
    const sorted = [...secrets].sort((a, b) => b.length - a.length);
    pattern = sorted.length ? new RegExp(sorted.map(tokenPattern).join('|'), 'g') : undefined;
  };

  const redactor: Redactor = {
    add(values) {
      let changed = false;
      for (const value of values) {
        // A multi-line secret (a PEM key) is also printed a line at a time: gate output is redacted by lines, and
        // platform logs arrive as lines, so each of its lines is a secret of its own.
        // The PEM armour lines (-----BEGIN ...-----) are the same in every key: not secret, so left readable.
        const parts = value?.includes('\n')
          ? [
              value,
              ...value
                .split(/\r?\n/)
                .map((l) => l.trim())
                .filter((l) => !/^-----(BEGIN|END) /.test(l)),
            ]
          : [value];
        for (const v of parts) {
          if (v && isMaskable(v) && !secrets.has(v)) {
            secrets.add(v);
            changed = true;
          }
        }
      }
      if (changed) rebuild();
    },
    redact(text) {
      return maskCredentials(pattern ? text.replace(pattern, MASK) : text);
    },
    redactData<T>(data: T): T {
      // Copy on write: what holds nothing to mask is returned as it is (a 10,000-file lint report is ~55,000
      // objects, none with a secret, that would otherwise be copied before they are printed).
      const walk = (v: unknown): unknown => {
        if (typeof v === 'string') return redactor.redact(v);
        if (Array.isArray(v)) {
          let out: unknown[] | undefined;
          for (let i = 0; i < v.length; i++) {
            const x = walk(v[i]);
            if (!out && x !== v[i]) out = v.slice(0, i);
            if (out) out[i] = x;
          }
          return out ?? v;
        }
        if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
          const source = v as Record<string, unknown>;
          const keys = Object.keys(source);
          let out: Record<string, unknown> | undefined;
          for (let i = 0; i < keys.length; i++) {
            const key = keys[i] as string;
            const value = source[key];
            const x = walk(value);
            const k = redactor.redact(key);
            if (!out && (x !== value || k !== key)) {
              out = {};
              for (const before of keys.slice(0, i)) setOwn(out, before, source[before]);
            }
            if (out) setOwn(out, k, x);
          }
          return out ?? v;
        }
        return v;
      };
      return walk(data) as T;
    },
    get size() {
      return secrets.size;
    },
  };
  redactor.add(initial);
  return redactor;
}

/** A `__proto__` key stays an own property, as in the data, never the copy's prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
