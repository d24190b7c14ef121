/** Diagnostic: the one shape in which config validation, gates, env checks and the migration linter report problems. */

export type Severity = 'error' | 'warning' | 'info';

export interface Location {
  file?: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
  /** Dotted path into the config, e.g. `services.api.health[0].path`. */
  path?: string;
}

export interface Diagnostic {
  severity: Severity;
  /** Stable identifier, e.g. `config/unknown-key` or `migration/require-concurrent-index`. */
  code: string;
  /** What is wrong and why it matters. */
  message: string;
  /** How to fix it. */
  hint?: string;
  location?: Location;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

export function countBySeverity(diagnostics: readonly Diagnostic[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const d of diagnostics) counts[d.severity]++;
  return counts;
}

/** `file:line:col` (or the config path) for display. */
export function formatLocation(loc: Location | undefined): string {
  if (!loc) return '';
  const parts: string[] = [];
  if (loc.file) {
    let at = loc.file;
    if (loc.line !== undefined) at += `:${loc.line}`;
    if (loc.line !== undefined && loc.column !== undefined) at += `:${loc.column}`;
    parts.push(at);
  }
  if (loc.path) parts.push(loc.file ? `(${loc.path})` : loc.path);
  return parts.join(' ');
}

/**
 * Sort by file, then line, then column, errors first on ties: the order a reader fixes them in. File names compare by
 * code unit, not by locale: the same order on every machine, and without ICU's collation, which took a quarter of a
 * second to sort a thousand files' findings.
 */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const rank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
  return [...diagnostics].sort(
    (a, b) =>
      compareText(a.location?.file ?? '', b.location?.file ?? '') ||
      (a.location?.line ?? 0) - (b.location?.line ?? 0) ||
      (a.location?.column ?? 0) - (b.location?.column ?? 0) ||
      rank[a.severity] - rank[b.severity],
  );
}

/** Code-unit order: stable across locales and cheap. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
