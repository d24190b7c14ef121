/**
 * Inline suppressions: `-- opsbook-ignore rule-a, rule-b` silences those rules for the statement that follows the
 * comment; `-- opsbook-ignore-file rule-a` silences them for the whole file. Rule names may carry the `migration/`
 * prefix, and a `: reason` may follow. A suppression is how a reviewer records that a flagged statement is intended.
 */
import type { Diagnostic } from '../../diagnostics/index.js';
import type { ParsedSql, SqlStatement } from '../parse-sql.js';

export interface Suppressions {
  isIgnored(rule: string, stmt: SqlStatement | undefined): boolean;
  /** Warnings for unknown rule names. */
  diagnostics: Diagnostic[];
}

/** Names up to the end of the line or a `:` that starts a free-text reason. */
const DIRECTIVE = /--\s*opsbook-ignore(-file)?[ \t]+([^\n:]*)/g;

export function readSuppressions(parsed: ParsedSql, file: string, known: ReadonlySet<string>): Suppressions {
  const wholeFile = new Set<string>();
  const byStatement = new Map<number, Set<string>>();
  const diagnostics: Diagnostic[] = [];
  // Most files have no directive: skip the scan entirely.
  if (!parsed.text.includes('opsbook-ignore')) return { isIgnored: () => false, diagnostics };
  for (const m of parsed.text.matchAll(DIRECTIVE)) {
    const names = (m[2] ?? '')
      .split(/[\s,]+/)
      .filter(Boolean)
      .map((n) => n.replace(/^migration\//, ''));
    const next = parsed.statements.find((s) => s.start > (m.index ?? 0));
    const target = m[1] ? wholeFile : (byStatement.get(next?.index ?? -1) ?? new Set<string>());
    if (!m[1] && next) byStatement.set(next.index, target);
    for (const name of names) {
      if (known.has(name)) target.add(name);
      else {
        const { line, column } = parsed.position(m.index ?? 0);
        diagnostics.push({
          severity: 'warning',
          code: 'migration/unknown-ignore',
          message: `opsbook-ignore names an unknown rule "${name}"`,
          hint: "run 'opsbook migrate lint --help' for the rule names",
          location: { file, line, column },
        });
      }
    }
  }
  return {
    isIgnored: (rule, stmt) =>
      wholeFile.has(rule) || (stmt !== undefined && Boolean(byStatement.get(stmt.index)?.has(rule))),
    diagnostics,
  };
}
