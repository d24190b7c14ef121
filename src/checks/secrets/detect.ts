/**
 * The detector: one case-insensitive pass (keyword-scan.ts) finds every keyword occurrence, and each rule's regex then runs only in the
 * merged windows around its own keywords. Texts are binary strings (bytes decoded as latin1), which keeps V8 on its
 * fast one-byte paths and makes offsets byte offsets; only reported columns are converted back to characters.
 */
import { allowsWholeFile, appliesToRule, isAllowed } from './allowlist.js';
import type { CompiledRule, CompiledRuleSet } from './compile.js';
import { shannonEntropy } from './entropy.js';
import { createLineIndex, type LineIndex } from './line-index.js';
import { isPlaceholder } from './placeholder.js';
import { hashSecret, redactSecret } from './secret-text.js';

export interface DetectInput {
  /** Bytes decoded as latin1. */
  text: string;
  /** Path used by path rules and allowlists (relative, forward slashes). */
  path: string;
  commit?: string;
}

/** A finding before it is placed in a file or commit; the secret itself has already been dropped. */
export interface RawFinding {
  ruleId: string;
  description: string;
  line: number;
  column: number;
  redacted: string;
  secretHash: string;
  entropy: number;
  /** Byte range of the secret in the text, for overlap resolution. */
  start: number;
  end: number;
}

/** Matches start at their keyword, so little context is needed before it; PEM blocks need a lot after. */
const BEFORE = 128;
const AFTER = 256;
const MULTILINE_AFTER = 16_384;
/** Windows grow to the end of the token they cut, so no regex sees half a key. */
const TOKEN_GROW = 256;
const INLINE_ALLOW =
  /gitleaks:allow|betterleaks:allow|secretlint-disable-line|trufflehog:ignore|pragma: allowlist secret/;

const TOKEN_CHAR = new Uint8Array(256);
for (const ch of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_+/=.-')
  TOKEN_CHAR[ch.charCodeAt(0)] = 1;

function growStart(text: string, at: number): number {
  let i = Math.max(0, at);
  const limit = Math.max(0, i - TOKEN_GROW);
  while (i > limit && TOKEN_CHAR[text.charCodeAt(i - 1) & 0xff]) i--;
  return i;
}

function growEnd(text: string, at: number): number {
  let i = Math.min(text.length, at);
  const limit = Math.min(text.length, i + TOKEN_GROW);
  while (i < limit && TOKEN_CHAR[text.charCodeAt(i) & 0xff]) i++;
  return i;
}

/** Per rule, a flat list of merged [start, end) windows around its keywords' occurrences. */
function collectWindows(set: CompiledRuleSet, text: string): Map<number, number[]> {
  const windows = new Map<number, number[]>();
  const add = (rule: number, start: number, end: number) => {
    const list = windows.get(rule) ?? [];
    if (list.length === 0) windows.set(rule, list);
    const last = list.length - 1;
    if (last > 0 && start <= (list[last] as number)) list[last] = Math.max(list[last] as number, end);
    else list.push(start, end);
  };
  for (const rule of set.unfiltered) add(rule, 0, text.length);
  set.keywordScan?.(text, (pos, keyword) => {
    for (const r of set.rulesByKeyword.get(keyword) ?? []) {
      const after = set.rules[r]?.spec.multiline ? MULTILINE_AFTER : AFTER;
      add(r, pos - BEFORE, pos + keyword.length + after);
    }
  });
  return windows;
}

function secretGroupOf(rule: CompiledRule, m: RegExpExecArray): number {
  if (m.length < 2) return 0;
  const wanted = rule.spec.secretGroup ?? 0;
  if (wanted > 0) return wanted < m.length ? wanted : -1;
  for (let g = 1; g < m.length; g++) if (m[g]) return g;
  return 0;
}

interface Scan {
  set: CompiledRuleSet;
  input: DetectInput;
  lines: LineIndex;
  out: RawFinding[];
}

function consider(scan: Scan, rule: CompiledRule, m: RegExpExecArray, base: number): void {
  const g = secretGroupOf(rule, m);
  const secret = g >= 0 ? m[g] : undefined;
  const span = g >= 0 ? m.indices?.[g] : undefined;
  if (!secret || !span) return;
  if (rule.generic && !/\d/.test(secret)) return;
  const entropy = shannonEntropy(secret);
  if (rule.spec.entropy && entropy <= rule.spec.entropy) return;
  if (isPlaceholder(secret)) return;
  const { text, path, commit } = scan.input;
  const start = base + span[0];
  const matchStart = base + m.index;
  if (rule.validator && !rule.validator({ text, start: matchStart, match: m[0], secret, groups: m, path }))
    return;
  const { line, lineStart, lineEnd } = scan.lines.locate(start);
  const lineText = text.slice(lineStart, lineEnd);
  if (INLINE_ALLOW.test(lineText)) return;
  const candidate = { path, commit, secret, match: m[0], line: lineText, ruleId: rule.spec.id };
  if (rule.allowlists.some((a) => isAllowed(a, candidate))) return;
  if (scan.set.globalAllowlists.some((a) => appliesToRule(a, rule.spec.id) && isAllowed(a, candidate)))
    return;
  scan.out.push({
    ruleId: rule.spec.id,
    description: rule.spec.description,
    line,
    column: scan.lines.column(lineStart, start),
    redacted: redactSecret(Buffer.from(secret, 'latin1').toString('utf8')),
    secretHash: hashSecret(Buffer.from(secret, 'latin1')),
    entropy: Math.round(entropy * 1000) / 1000,
    start,
    end: start + secret.length,
  });
}

function runRule(scan: Scan, rule: CompiledRule, windows: readonly number[]): void {
  const re = rule.regex;
  if (!re) return;
  const { text } = scan.input;
  for (let w = 0; w < windows.length; w += 2) {
    const from = growStart(text, windows[w] as number);
    const to = growEnd(text, windows[w + 1] as number);
    const slice = from === 0 && to === text.length ? text : text.slice(from, to);
    re.lastIndex = 0;
    for (let m = re.exec(slice); m; m = re.exec(slice)) {
      if (m[0].length === 0) re.lastIndex++;
      else consider(scan, rule, m, from);
    }
  }
}

/** Vendor findings win over generic ones on the same bytes; among equals the first rule wins. */
function resolveOverlaps(set: CompiledRuleSet, findings: RawFinding[]): RawFinding[] {
  const generic = new Set(
    set.rules.filter((r) => r.generic || r.spec.validator?.startsWith('generic')).map((r) => r.spec.id),
  );
  const ordered = [...findings].sort((a, b) => Number(generic.has(a.ruleId)) - Number(generic.has(b.ruleId)));
  const kept: RawFinding[] = [];
  for (const f of ordered) if (!kept.some((k) => f.start < k.end && k.start < f.end)) kept.push(f);
  return kept.sort((a, b) => a.start - b.start);
}

export function detectSecrets(set: CompiledRuleSet, input: DetectInput): RawFinding[] {
  const { text, path, commit } = input;
  const fileAllowed = set.globalAllowlists.some(
    (a) => !a.spec.targetRules?.length && allowsWholeFile(a, path, commit),
  );
  if (fileAllowed) return [];
  const scan: Scan = { set, input, lines: createLineIndex(text), out: [] };
  for (const rule of set.rules) {
    // A path-only rule reports the file itself (gitleaks: `pkcs12-file` and the like).
    if (!rule.regex && rule.path?.test(path)) {
      const { id: ruleId, description } = rule.spec;
      scan.out.push({
        ruleId,
        description,
        line: 1,
        column: 1,
        redacted: '',
        secretHash: hashSecret(path),
        entropy: 0,
        start: 0,
        end: 0,
      });
    }
  }
  for (const [index, windows] of collectWindows(set, text)) {
    const rule = set.rules[index];
    if (!rule || (rule.path && !rule.path.test(path))) continue;
    if (rule.allowlists.some((a) => allowsWholeFile(a, path, commit))) continue;
    runRule(scan, rule, windows);
  }
  return scan.out.length > 1 ? resolveOverlaps(set, scan.out) : scan.out;
}
