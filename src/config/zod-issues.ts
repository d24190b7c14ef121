/** Turns zod issues into Diagnostics with a location, a reason and a fix (with "did you mean" for unknown keys). */
import type { z } from 'zod';
import type { Diagnostic } from '../diagnostics/index.js';
import { knownKeysAt } from './known-keys.js';
import { formatPath, type Locator } from './locate.js';
import { closestMatch } from './suggest.js';

type Issue = z.core.$ZodIssue;

function describeInput(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return 'text';
  return typeof value;
}

/** Of a union's branches, the one that got furthest: the fewest issues, deepest paths first. */
function bestBranch(branches: Issue[][]): Issue[] {
  const score = (issues: Issue[]) =>
    issues.length * 100 -
    Math.max(0, ...issues.map((i) => i.path.length)) +
    (issues.some((i) => i.code === 'invalid_type') ? 50 : 0);
  return [...branches].sort((a, b) => score(a) - score(b))[0] ?? [];
}

export function issuesToDiagnostics(
  issues: readonly Issue[],
  schema: z.ZodType,
  locate: Locator,
  data: unknown,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const valueAt = (path: readonly PropertyKey[]) =>
    path.reduce<unknown>(
      (v, k) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined),
      data,
    );

  /** A required field left out (a value or a choice): named at its parent, with what to write. */
  const missing = (path: readonly PropertyKey[], what: string) => {
    const field = String(path[path.length - 1] ?? '');
    out.push({
      severity: 'error',
      code: 'config/missing-field',
      message: `${formatPath(path.slice(0, -1)) || 'the config'} is missing required field '${field}'`,
      hint: `add '${field}:' ${what}`,
      location: locate(path.slice(0, -1), { key: true }),
    });
  };

  const visit = (issue: Issue, base: readonly PropertyKey[]) => {
    const path = [...base, ...issue.path];
    const where = formatPath(path) || 'the top level';
    switch (issue.code) {
      case 'unrecognized_keys': {
        const known = knownKeysAt(schema, path);
        for (const key of issue.keys) {
          const guess = closestMatch(key, known);
          out.push({
            severity: 'error',
            code: 'config/unknown-key',
            message: `unknown key '${key}' in ${where}`,
            hint: guess
              ? `did you mean '${guess}'?`
              : `remove it; allowed here: ${known.filter((k) => k !== '$schema').join(', ')}`,
            location: locate([...path, key], { key: true }),
          });
        }
        return;
      }
      case 'invalid_union': {
        if (issue.errors.length === 0) {
          // A discriminated union whose discriminator (e.g. `type`) matched no branch; the path ends at it.
          const { options = [] } = issue as { options?: unknown[] };
          const allowed = options.map(String);
          const value = valueAt(path);
          const field = String(path[path.length - 1] ?? 'type');
          const guess = typeof value === 'string' ? closestMatch(value, allowed) : undefined;
          out.push({
            severity: 'error',
            code: value === undefined ? 'config/missing-field' : 'config/invalid-value',
            message:
              value === undefined
                ? `${formatPath(path.slice(0, -1))} needs '${field}'`
                : `unknown ${field} '${String(value)}' in ${formatPath(path.slice(0, -1))}`,
            hint: guess ? `did you mean '${guess}'?` : `use one of: ${allowed.join(', ')}`,
            location: locate(value === undefined ? path.slice(0, -1) : path, { key: value === undefined }),
          });
          return;
        }
        for (const inner of bestBranch(issue.errors)) visit(inner, path);
        return;
      }
      case 'invalid_type': {
        const input = (issue as { input?: unknown }).input;
        if (input === undefined) {
          missing(path, `(${issue.expected})`);
          return;
        }
        out.push({
          severity: 'error',
          code: 'config/invalid-type',
          message: `${where}: expected ${issue.expected}, got ${describeInput(input)}`,
          hint: issue.expected === 'object' ? 'write a mapping (key: value lines) here' : undefined,
          location: locate(path),
        });
        return;
      }
      case 'invalid_value': {
        const input = valueAt(path);
        const allowed = issue.values.map(String);
        // A required choice left out (a health check without `type:`) is missing, not the value 'undefined'.
        if (input === undefined) {
          missing(path, `with one of: ${allowed.join(', ')}`);
          return;
        }
        const guess = typeof input === 'string' ? closestMatch(input, allowed) : undefined;
        out.push({
          severity: 'error',
          code: 'config/invalid-value',
          // A mapping or list where a word belongs is named as such, not as '[object Object]'.
          message: `${where}: ${input !== null && typeof input === 'object' ? describeInput(input) : `'${String(input)}'`} is not one of ${allowed.join(', ')}`,
          hint: guess ? `did you mean '${guess}'?` : `use one of: ${allowed.join(', ')}`,
          location: locate(path),
        });
        return;
      }
      default: {
        // A custom check may name its own diagnostic code and fix (durationAtMost does).
        const params =
          issue.code === 'custom'
            ? (issue.params as { code?: string; hint?: string } | undefined)
            : undefined;
        out.push({
          severity: 'error',
          code:
            issue.code === 'custom'
              ? (params?.code ?? 'config/invalid')
              : `config/${issue.code.replaceAll('_', '-')}`,
          message: `${where}: ${issue.message}`,
          ...(params?.hint ? { hint: params.hint } : {}),
          location: locate(path),
        });
      }
    }
  };
  for (const issue of issues) visit(issue, []);
  return out;
}
