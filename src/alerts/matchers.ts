/** Label matchers as Alertmanager writes them (`service=api`, `alertname=~"api-.*"`), parsed and applied. */
import { UserError } from '../errors.js';
import type { Labels } from './types.js';

export type MatchOperator = '=' | '!=' | '=~' | '!~';

export interface Matcher {
  label: string;
  op: MatchOperator;
  value: string;
}

const MATCHER = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*(?:"((?:[^"\\]|\\.)*)"|(.*?))\s*$/;

/** Parses `label=value`, `label!=value`, `label=~regex`, `label!~regex`; values may be double-quoted. */
export function parseMatcher(text: string): Matcher {
  const m = MATCHER.exec(text);
  if (!m)
    throw new UserError(
      `'${text}' is not a label matcher`,
      'write label=value, label!=value, label=~regex or label!~regex, e.g. service=api',
      'alerts/bad-matcher',
    );
  const value = m[3] !== undefined ? m[3].replace(/\\(.)/g, '$1') : (m[4] ?? '');
  const matcher: Matcher = { label: m[1]!, op: m[2] as MatchOperator, value };
  if (matcher.op === '=~' || matcher.op === '!~') compile(matcher.value, text);
  return matcher;
}

function compile(pattern: string, where: string): RegExp {
  try {
    // Anchored, as in Alertmanager: `api` does not match `api-2`.
    return new RegExp(`^(?:${pattern})$`);
  } catch (error) {
    throw new UserError(
      `invalid regular expression in matcher '${where}': ${(error as Error).message}`,
      'escape special characters, e.g. service=~"api|web"',
      'alerts/bad-matcher',
    );
  }
}

export function matches(matcher: Matcher, labels: Labels): boolean {
  const value = labels[matcher.label] ?? '';
  switch (matcher.op) {
    case '=':
      return value === matcher.value;
    case '!=':
      return value !== matcher.value;
    case '=~':
      return compile(matcher.value, matcher.value).test(value);
    case '!~':
      return !compile(matcher.value, matcher.value).test(value);
  }
}

export const matchesAll = (matchers: readonly Matcher[], labels: Labels): boolean =>
  matchers.every((m) => matches(m, labels));

export function formatMatcher(m: Matcher): string {
  return m.op === '=' || m.op === '!=' ? `${m.label}${m.op}${m.value}` : `${m.label}${m.op}"${m.value}"`;
}
