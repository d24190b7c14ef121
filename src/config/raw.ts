/** Defensive readers for the unvalidated config: cross-field rules run even when parts of it are malformed. */

export type Raw = Record<string, unknown>;

export const isObj = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
export const obj = (v: unknown): Raw => (isObj(v) ? v : {});
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const entries = (v: unknown): [string, Raw][] =>
  Object.entries(obj(v)).map(([k, x]) => [k, obj(x)] as [string, Raw]);
