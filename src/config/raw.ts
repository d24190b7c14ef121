/** Defensive readers for the unvalidated config: cross-field rules run even when parts of it are malformed. */
import { parseDuration } from './units.js';

export type Raw = Record<string, unknown>;

export const isObj = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
export const obj = (v: unknown): Raw => (isObj(v) ? v : {});
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const entries = (v: unknown): [string, Raw][] =>
  Object.entries(obj(v)).map(([k, x]) => [k, obj(x)] as [string, Raw]);

/** A duration in ms, or the schema's default when absent; undefined when unreadable (the schema reports it). */
export function durationMs(value: unknown, fallback: string): number | undefined {
  try {
    return parseDuration(typeof value === 'string' ? value : fallback);
  } catch {
    return undefined;
  }
}
