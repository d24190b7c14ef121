/** Turns a plain-data RuleSet into RegExps plus the one keyword matcher that decides which rules run where. */
import { compileKeywordScan, type KeywordScan } from './keyword-scan.js';
import type { AllowlistSpec, RegexSpec, RuleSet, RuleSpec } from './types.js';
import { VALIDATORS, type Validator } from './validators.js';

export interface CompiledAllowlist {
  spec: AllowlistSpec;
  paths: RegExp[];
  regexes: RegExp[];
  stopwords: string[];
  /** Paths or commits only: decides for a whole file before any rule runs. */
  wholeFile: boolean;
}

export interface CompiledRule {
  spec: RuleSpec;
  /** Global, with indices (`d`) to locate the secret group. */
  regex?: RegExp;
  path?: RegExp;
  allowlists: CompiledAllowlist[];
  validator?: Validator;
  /** gitleaks drops generic findings whose secret has no digit; they also yield to vendor rules on overlap. */
  generic: boolean;
}

export interface CompiledRuleSet {
  rules: CompiledRule[];
  globalAllowlists: CompiledAllowlist[];
  /** Finds every keyword, case-insensitively (the longest at each position). */
  keywordScan?: KeywordScan;
  /** keyword -> indexes of rules that must run near it (also rules whose keyword is a substring of it). */
  rulesByKeyword: Map<string, number[]>;
  /** Rules with a regex but no keywords: they run on the whole text. */
  unfiltered: number[];
}

const toRegExp = (spec: RegexSpec, extra = '') =>
  new RegExp(spec.source, [...new Set(spec.flags + extra)].join(''));

function compileAllowlist(spec: AllowlistSpec): CompiledAllowlist {
  const hasContentChecks = spec.regexes.length > 0 || spec.stopwords.length > 0;
  return {
    spec,
    paths: spec.paths.map((p) => toRegExp(p)),
    regexes: spec.regexes.map((r) => toRegExp(r)),
    stopwords: spec.stopwords.map((w) => w.toLowerCase()),
    wholeFile: !hasContentChecks && (spec.paths.length > 0 || spec.commits.length > 0),
  };
}

export function compileRuleSet(set: RuleSet): CompiledRuleSet {
  const rules: CompiledRule[] = set.rules.map((spec) => ({
    spec,
    regex: spec.regex ? toRegExp(spec.regex, 'gd') : undefined,
    path: spec.path ? toRegExp(spec.path) : undefined,
    allowlists: spec.allowlists.map(compileAllowlist),
    validator: spec.validator ? VALIDATORS[spec.validator] : undefined,
    generic: spec.id.startsWith('generic'),
  }));
  const keywords = [
    ...new Set(set.rules.flatMap((r) => (r.regex ? r.keywords.map((k) => k.toLowerCase()) : []))),
  ];
  const rulesByKeyword = new Map<string, number[]>();
  for (const keyword of keywords) {
    const indexes: number[] = [];
    set.rules.forEach((rule, i) => {
      if (rule.regex && rule.keywords.some((k) => keyword.includes(k.toLowerCase()))) indexes.push(i);
    });
    rulesByKeyword.set(keyword, indexes);
  }
  return {
    rules,
    globalAllowlists: set.allowlists.map(compileAllowlist),
    keywordScan: compileKeywordScan(keywords),
    rulesByKeyword,
    unfiltered: set.rules.flatMap((r, i) => (r.regex && r.keywords.length === 0 ? [i] : [])),
  };
}
