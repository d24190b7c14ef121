/**
 * Reads a repository's `.gitleaks.toml` into a RuleSet with gitleaks semantics: `[extend] useDefault` layers it on the
 * built-in rules (ours stand in for gitleaks' defaults), `[extend] path` on another file, `disabledRules` drops rules,
 * and a rule with a known id merges into it. A file with allowlists but no rules tunes the defaults.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { UserError } from '../../errors.js';
import { parseToml, type TomlTable } from '../../toml/index.js';
import { translateRe2 } from './re2.js';
import { builtinRuleSet } from './rules/index.js';
import type { AllowlistSpec, RegexSpec, RuleSet, RuleSpec } from './types.js';

export const CONFIG_FILE = '.gitleaks.toml';
const MAX_EXTEND_DEPTH = 2;

interface Source {
  text: string;
  shownAs: string;
  notes: string[];
}

function fail(src: Source, message: string, near?: string, hint?: string): never {
  const line = near ? lineOf(src.text, near) : undefined;
  throw new UserError(`${src.shownAs}${line ? `:${line}` : ''}: ${message}`, hint, 'secrets/config');
}

function lineOf(text: string, id: string): number | undefined {
  const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const at = new RegExp(`^\\s*id\\s*=\\s*["']${escaped}["']`, 'm').exec(text)?.index;
  return at === undefined ? undefined : text.slice(0, at).split('\n').length;
}

const isTable = (v: unknown): v is TomlTable => typeof v === 'object' && v !== null && !Array.isArray(v);

function strings(src: Source, value: unknown, what: string, near?: string): string[] {
  if (value === undefined) return [];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  return fail(src, `${what} must be an array of strings`, near);
}

function regex(src: Source, pattern: string, what: string, near?: string): RegexSpec {
  try {
    return translateRe2(pattern);
  } catch (error) {
    return fail(
      src,
      `${what}: ${(error as Error).message}`,
      near,
      'rewrite the pattern without that construct (RE2 and JavaScript must both accept it)',
    );
  }
}

function toAllowlist(src: Source, raw: unknown, near?: string): AllowlistSpec {
  if (!isTable(raw)) return fail(src, 'an allowlist must be a table', near);
  const condition = String(raw.condition ?? 'OR').toUpperCase();
  const target = String(raw.regexTarget ?? 'secret');
  if (condition !== 'OR' && condition !== 'AND')
    fail(src, `allowlist condition must be "OR" or "AND", not "${condition}"`, near);
  if (target !== 'secret' && target !== 'match' && target !== 'line')
    fail(src, `regexTarget must be secret, match or line, not "${target}"`, near);
  return {
    description: typeof raw.description === 'string' ? raw.description : undefined,
    condition,
    commits: strings(src, raw.commits, 'allowlist commits', near),
    paths: strings(src, raw.paths, 'allowlist paths', near).map((p) => regex(src, p, 'allowlist path', near)),
    regexes: strings(src, raw.regexes, 'allowlist regexes', near).map((r) =>
      regex(src, r, 'allowlist regex', near),
    ),
    regexTarget: target,
    stopwords: strings(src, raw.stopwords, 'allowlist stopwords', near),
    targetRules:
      raw.targetRules === undefined ? undefined : strings(src, raw.targetRules, 'targetRules', near),
  };
}

function toRule(src: Source, raw: unknown, index: number): RuleSpec {
  if (!isTable(raw) || typeof raw.id !== 'string' || !raw.id)
    return fail(src, `rule #${index + 1} needs a string id`);
  const id = raw.id;
  const num = (v: unknown, what: string) =>
    v === undefined || typeof v === 'number' ? v : fail(src, `rule '${id}': ${what} must be a number`, id);
  if (raw.regex !== undefined && typeof raw.regex !== 'string')
    fail(src, `rule '${id}': regex must be a string`, id);
  if (raw.path !== undefined && typeof raw.path !== 'string')
    fail(src, `rule '${id}': path must be a string`, id);
  if (raw.required !== undefined)
    src.notes.push(
      `${src.shownAs}: rule '${id}' uses [[rules.required]], which opsbook does not support; it reports on its own`,
    );
  const lists = [
    ...(raw.allowlist === undefined ? [] : [raw.allowlist]),
    ...(Array.isArray(raw.allowlists) ? raw.allowlists : []),
  ];
  return {
    id,
    description: typeof raw.description === 'string' ? raw.description : '',
    regex: typeof raw.regex === 'string' ? regex(src, raw.regex, `rule '${id}' regex`, id) : undefined,
    secretGroup: num(raw.secretGroup, 'secretGroup') as number | undefined,
    entropy: num(raw.entropy, 'entropy') as number | undefined,
    keywords: strings(src, raw.keywords, `rule '${id}' keywords`, id).map((k) => k.toLowerCase()),
    path: typeof raw.path === 'string' ? regex(src, raw.path, `rule '${id}' path`, id) : undefined,
    allowlists: lists.map((l) => toAllowlist(src, l, id)),
  };
}

/** gitleaks' extend: fields the new rule sets win; keywords and allowlists add up. */
function mergeRule(base: RuleSpec, over: RuleSpec, raw: TomlTable): RuleSpec {
  return {
    ...base,
    description: over.description || base.description,
    regex: raw.regex === undefined ? base.regex : over.regex,
    secretGroup: over.secretGroup ?? base.secretGroup,
    entropy: over.entropy ?? base.entropy,
    path: over.path ?? base.path,
    keywords: [...new Set([...base.keywords, ...over.keywords])],
    allowlists: [...base.allowlists, ...over.allowlists],
  };
}

/** The file's table, or a UserError with file:line:col. The message never quotes the source: it may hold secrets. */
function tomlTable(text: string, shownAs: string): TomlTable {
  const parsed = parseToml(text);
  if (!parsed.error) return parsed.data;
  const { message, line, column } = parsed.error;
  const at = line === undefined ? '' : `:${line}:${column}`;
  throw new UserError(
    `${shownAs}${at}: ${message}`,
    'fix the TOML syntax at that position',
    'secrets/config',
  );
}

async function loadFile(path: string, cwd: string, depth: number, notes: string[]): Promise<RuleSet> {
  const shownAs = relative(cwd, path) || path;
  const text = await readFile(path, 'utf8').catch((error: Error) => {
    throw new UserError(`cannot read ${shownAs}: ${error.message}`, undefined, 'secrets/config');
  });
  const src: Source = { text, shownAs, notes };
  const table = tomlTable(text, shownAs);
  const extend = isTable(table.extend) ? table.extend : {};
  const rawRules = Array.isArray(table.rules) ? table.rules : [];
  const rules = rawRules.map((r, i) => toRule(src, r, i));
  const allowlists = [
    ...(table.allowlist === undefined ? [] : [table.allowlist]),
    ...(Array.isArray(table.allowlists) ? table.allowlists : []),
  ].map((a) => toAllowlist(src, a));
  let base: RuleSet | undefined;
  if (extend.useDefault === true || (rules.length === 0 && extend.path === undefined))
    base = builtinRuleSet();
  else if (typeof extend.path === 'string') {
    if (depth >= MAX_EXTEND_DEPTH) fail(src, `[extend] path nests deeper than ${MAX_EXTEND_DEPTH} files`);
    base = await loadFile(resolve(dirname(path), extend.path), cwd, depth + 1, notes);
  }
  const checked = (list: RuleSpec[]) => {
    for (const r of list) if (!r.regex && !r.path) fail(src, `rule '${r.id}' needs a regex or a path`, r.id);
    return list;
  };
  if (!base) return { rules: checked(rules), allowlists, source: shownAs };
  const disabled = new Set(strings(src, extend.disabledRules, '[extend] disabledRules'));
  const byId = new Map(base.rules.filter((r) => !disabled.has(r.id)).map((r) => [r.id, r]));
  rules.forEach((rule, i) => {
    const prev = byId.get(rule.id);
    byId.set(rule.id, prev ? mergeRule(prev, rule, rawRules[i] as TomlTable) : rule);
  });
  return {
    rules: checked([...byId.values()]),
    allowlists: [...base.allowlists, ...allowlists],
    source: shownAs,
  };
}

/** The first `.gitleaks.toml` in `dirs`, or the built-in rules. Notes collect what was read but not honoured. */
export async function loadRuleSet(
  dirs: readonly string[],
  cwd: string,
): Promise<{ ruleSet: RuleSet; notes: string[] }> {
  const notes: string[] = [];
  for (const dir of new Set(dirs)) {
    const path = join(dir, CONFIG_FILE);
    const exists = await readFile(path).then(
      () => true,
      () => false,
    );
    if (exists) return { ruleSet: await loadFile(path, cwd, 0, notes), notes };
  }
  return { ruleSet: builtinRuleSet(), notes };
}
