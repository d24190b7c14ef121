/** Runs the rules over the statements of one or more files, with the context of how opsbook will execute them. */
import type { Diagnostic, Severity } from '../../diagnostics/index.js';
import { decideExecutionMode, type ExecutionMode, type PgVersion } from '../execution-mode.js';
import { loadParser, type ParsedSql, parseSqlSync } from '../parse-sql.js';
import { createRunContext, type FileContext, type Finding, type Rule, type RunContext } from './context.js';
import { readSuppressions } from './ignore.js';
import { RULE_NAMES, RULES } from './rules/index.js';
import { trackStatement } from './track.js';

export type RuleSeverity = Record<string, Exclude<Severity, 'info'> | 'off'>;

export interface LintOptions {
  /** Target server version; squawk's default (15) when unknown. */
  pg?: PgVersion;
  /** Timeouts opsbook's runner sets before each file (both on by default). */
  runnerTimeouts?: { lock: boolean; statement: boolean };
  /** Per-rule severity overrides, keyed by rule name with or without the `migration/` prefix. */
  ruleSeverity?: RuleSeverity;
  /** Treat the sources as one run: tables created by an earlier file count as new in later ones. */
  oneRun?: boolean;
}

export interface LintSource {
  /** Shown in diagnostics. */
  file: string;
  text: string;
  /** Printed by an engine's command (`manage.py sqlmigrate`), where no SQL can mean code runs instead. */
  generated?: boolean;
}

export interface LintedFile {
  file: string;
  parsed: ParsedSql;
  mode: ExecutionMode;
}

export interface LintResult {
  diagnostics: Diagnostic[];
  files: LintedFile[];
}

export const DEFAULT_PG: PgVersion = { major: 15, minor: 0 };

export async function lintSources(
  sources: readonly LintSource[],
  options: LintOptions = {},
): Promise<LintResult> {
  await loadParser();
  const pg = options.pg ?? DEFAULT_PG;
  const fresh = () => createRunContext({ pg, runnerTimeouts: options.runnerTimeouts });
  let run = fresh();
  const overrides = options.ruleSeverity ?? NO_OVERRIDES;
  const active = activeRules(overrides);
  const result: LintResult = { diagnostics: [], files: [] };
  for (const source of sources) {
    if (!options.oneRun) run = fresh();
    const parsed = parseSqlSync(source.text);
    const mode = decideExecutionMode(parsed, pg);
    result.files.push({ file: source.file, parsed, mode });
    result.diagnostics.push(
      ...lintParsed(source.file, parsed, mode, run, overrides, active, source.generated === true),
    );
  }
  return result;
}

type ActiveRule = [Rule, Exclude<Severity, 'info'>];
interface ActiveRules {
  all: readonly ActiveRule[];
  /** The rules that look at a statement kind, in RULES order, worked out the first time the kind is met. */
  byKind: Map<string, readonly ActiveRule[]>;
}
const NO_OVERRIDES: RuleSeverity = {};
const activeByOverrides = new WeakMap<RuleSeverity, ActiveRules>();

/** The rules that are on, with their severity: worked out once per configuration, not once per file. */
function activeRules(overrides: RuleSeverity): ActiveRules {
  let active = activeByOverrides.get(overrides);
  if (!active) {
    const all = RULES.flatMap((rule): ActiveRule[] => {
      const severity = severityOf(rule.name, rule.severity, overrides);
      return severity === 'off' ? [] : [[rule, severity]];
    });
    active = { all, byKind: new Map() };
    activeByOverrides.set(overrides, active);
  }
  return active;
}

function rulesFor(active: ActiveRules, kind: string): readonly ActiveRule[] {
  let rules = active.byKind.get(kind);
  if (!rules) {
    rules = active.all.filter(([rule]) => !rule.kinds || rule.kinds.includes(kind));
    active.byKind.set(kind, rules);
  }
  return rules;
}

function lintParsed(
  file: string,
  parsed: ParsedSql,
  mode: ExecutionMode,
  run: RunContext,
  overrides: RuleSeverity,
  active: ActiveRules,
  generated: boolean,
): Diagnostic[] {
  const at = (charOffset: number) => ({ file, ...parsed.position(charOffset) });
  if (parsed.error) {
    const severity = severityOf('syntax-error', 'error', overrides);
    if (severity === 'off') return [];
    return [
      {
        severity,
        code: 'migration/syntax-error',
        message: `the PostgreSQL parser rejects this file: ${parsed.error.message}`,
        hint: 'fix the SQL (opsbook parses with the PostgreSQL 18 grammar, the same one the server uses)',
        location: at(parsed.error.offset),
      },
    ];
  }
  // The runner records such a file as applied although it changes nothing: often a placeholder left unfinished
  // (`prisma migrate dev --create-only`) or the SQL saved to the wrong file.
  if (mode.statements.length === 0 && !generated) {
    const severity = severityOf('empty-file', 'warning', overrides);
    if (severity === 'off') return [];
    return [
      {
        severity,
        code: 'migration/empty-file',
        message:
          'this file holds no SQL statement: it would be recorded as applied without changing anything',
        hint: "write the migration's SQL, or delete the file; if it is empty on purpose, set migrations.rules.empty-file: off",
        location: { file, line: 1, column: 1 },
      },
    ];
  }
  const suppressions = readSuppressions(parsed, file, RULE_NAMES);
  const diagnostics = [...suppressions.diagnostics];
  const ctx: FileContext = {
    run,
    parsed,
    transactional: mode.transactional,
    inTransaction: mode.transactional,
    explicitTransaction: false,
    lockTimeoutSet: false,
    statementTimeoutSet: false,
    notValidInTransaction: new Set(),
  };
  for (const stmt of mode.statements) {
    for (const [rule, severity] of rulesFor(active, stmt.kind)) {
      if (suppressions.isIgnored(rule.name, stmt)) continue;
      const found = rule.check(stmt, ctx);
      // Most checks find nothing: no array is made for them (this loop runs rules x statements times).
      if (found === undefined || (Array.isArray(found) && found.length === 0)) continue;
      for (const f of Array.isArray(found) ? found : [found]) {
        diagnostics.push(
          toDiagnostic(
            rule.name,
            severity,
            f,
            f.location === undefined ? at(stmt.start) : at(parsed.charOffset(f.location)),
          ),
        );
      }
    }
    trackStatement(stmt, ctx);
  }
  return diagnostics;
}

function toDiagnostic(
  rule: string,
  severity: Severity,
  f: Finding,
  location: Diagnostic['location'],
): Diagnostic {
  return { severity, code: `migration/${rule}`, message: f.message, hint: f.hint, location };
}

function severityOf(
  rule: string,
  fallback: Exclude<Severity, 'info'>,
  overrides: RuleSeverity,
): Exclude<Severity, 'info'> | 'off' {
  return overrides[rule] ?? overrides[`migration/${rule}`] ?? fallback;
}
