/**
 * The one redactor. Every byte opsbook prints, logs or stores passes through it, and it masks every value
 * the env contract marks secret (plus any value registered at run time, such as API tokens).
 */

import { MASK } from './mask.js';

const MIN_SECRET_LENGTH = 4;

export interface Redactor {
  /** Registers values to mask from now on. Short values are ignored: masking "1" would shred all output. */
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
    pattern = sorted.length
      ? new RegExp(sorted.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g')
      : undefined;
  };

  const redactor: Redactor = {
    add(values) {
      let changed = false;
      for (const v of values) {
        if (v && v.length >= MIN_SECRET_LENGTH && !secrets.has(v)) {
          secrets.add(v);
          changed = true;
        }
      }
      if (changed) rebuild();
    },
    redact(text) {
      return pattern ? text.replace(pattern, MASK) : text;
    },
    redactData<T>(data: T): T {
      if (!pattern) return data;
      const walk = (v: unknown): unknown => {
        if (typeof v === 'string') return redactor.redact(v);
        if (Array.isArray(v)) return v.map(walk);
        if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
          return Object.fromEntries(Object.entries(v).map(([k, x]) => [redactor.redact(k), walk(x)]));
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
