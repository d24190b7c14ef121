/** The contract rules on one set value: placeholders, length, URL and https, enum, pattern, format, weak secrets. */
import { parseDuration } from '../../config/index.js';
import type { Diagnostic, Location, Severity } from '../../diagnostics/index.js';
import { type ContractEntry, httpsRequiredIn } from './contract.js';
import type { EnvValue } from './sources.js';
import { findPlaceholder, findWeakness } from './weak-values.js';

export interface ValueContext {
  environment: string;
  productionLike: boolean;
  /** Stack, service and environment names: secrets built from them are weak. */
  words: string[];
}

const LOCAL_HOSTS = /^(localhost|127(\.\d+){3}|0\.0\.0\.0|\[::1\])$/i;
/** 1Password references and dotenvx ciphertext stand for a value held elsewhere: nothing to check here. */
const INDIRECTION = /^(op:\/\/|encrypted:)/;

export function valueLocation(entry: ContractEntry, v: EnvValue): Location {
  return v.file ? { file: v.file, line: v.line, path: entry.path } : { path: entry.path };
}

const FORMATS: Record<string, { test: (s: string) => boolean; expected: string }> = {
  int: { test: (s) => /^-?\d+$/.test(s), expected: 'an integer' },
  port: {
    test: (s) => /^\d+$/.test(s) && Number(s) >= 1 && Number(s) <= 65535,
    expected: 'a port (1-65535)',
  },
  bool: { test: (s) => /^(true|false|1|0|yes|no|on|off)$/i.test(s), expected: 'a boolean (true or false)' },
  email: { test: (s) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s), expected: 'an email address' },
  json: {
    test: (s) => {
      try {
        JSON.parse(s);
        return true;
      } catch {
        return false;
      }
    },
    expected: 'valid JSON',
  },
  duration: {
    test: (s) => {
      try {
        parseDuration(s);
        return true;
      } catch {
        return false;
      }
    },
    expected: 'a duration such as 30s, 5m or 1h',
  },
};

function itemRules(
  entry: ContractEntry,
  item: string,
  ctx: ValueContext,
): { code: string; problem: string; hint: string }[] {
  const { spec } = entry;
  const found: { code: string; problem: string; hint: string }[] = [];
  const isUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(item) && URL.canParse(item);
  if (spec.url && !isUrl)
    found.push({
      code: 'env/not-url',
      problem: 'is not an absolute URL',
      hint: 'use a full URL such as https://api.example.com',
    });
  if (httpsRequiredIn(spec, ctx.environment) && !/^https:\/\//i.test(item))
    found.push({
      code: 'env/not-https',
      problem: `${/^http:\/\//i.test(item) ? 'uses http://' : 'is not an https:// URL'}; it must be https in ${ctx.environment}`,
      hint: 'switch to the https:// address (every item, for a list)',
    });
  if (
    isUrl &&
    ctx.productionLike &&
    (spec.url || spec.https || spec.list) &&
    LOCAL_HOSTS.test(new URL(item).hostname)
  )
    found.push({
      code: 'env/localhost',
      problem: `points at localhost in ${ctx.environment}`,
      hint: `use the public address of ${ctx.environment}; keep localhost for development`,
    });
  if (spec.enum && !spec.enum.includes(item))
    found.push({
      code: 'env/not-in-enum',
      problem: `is not one of ${spec.enum.join(', ')}`,
      hint: `set one of: ${spec.enum.join(', ')}`,
    });
  if (spec.pattern && safeRegExp(spec.pattern)?.test(item) === false)
    found.push({
      code: 'env/pattern-mismatch',
      problem: `does not match /${spec.pattern}/`,
      hint: 'fix the value so it matches the pattern',
    });
  const format = spec.format ? FORMATS[spec.format] : undefined;
  if (format && !format.test(item))
    found.push({
      code: 'env/invalid-format',
      problem: `is not ${format.expected}`,
      hint: `set ${format.expected}`,
    });
  return found;
}

/** An invalid pattern is reported by config validation (config/invalid-pattern), not again here. */
function safeRegExp(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern);
  } catch {
    return undefined;
  }
}

export function checkValue(entry: ContractEntry, v: EnvValue, ctx: ValueContext): Diagnostic[] {
  const { spec, key, service } = entry;
  const location = valueLocation(entry, v);
  const soft: Severity = ctx.productionLike ? 'error' : 'warning';
  const out: Diagnostic[] = [];
  const report = (severity: Severity, code: string, problem: string, hint: string) =>
    out.push({ severity, code, message: `${key} (${service}) ${problem}`, hint, location });
  if (INDIRECTION.test(v.value)) return out;
  const placeholder =
    spec.secret && v.value === spec.example
      ? 'the example value from the contract'
      : findPlaceholder(v.value);
  if (placeholder) {
    report(
      soft,
      'env/placeholder',
      `holds ${placeholder}, not a real value`,
      `set the real ${key} for ${ctx.environment}`,
    );
    return out;
  }
  if (spec.minLength !== undefined && v.value.length < spec.minLength)
    report(
      'error',
      'env/too-short',
      `is ${v.value.length} characters; the contract requires at least ${spec.minLength}`,
      spec.secret
        ? `generate a longer one, e.g. \`openssl rand -base64 ${Math.max(32, spec.minLength)}\``
        : `set a value of at least ${spec.minLength} characters`,
    );
  if (spec.maxLength !== undefined && v.value.length > spec.maxLength)
    report(
      'error',
      'env/too-long',
      `is ${v.value.length} characters; the contract allows at most ${spec.maxLength}`,
      `shorten it to ${spec.maxLength} characters or fewer`,
    );
  const items = spec.list
    ? v.value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [v.value];
  items.forEach((item, i) => {
    for (const r of itemRules(entry, item, ctx))
      report(
        'error',
        r.code,
        spec.list && items.length > 1 ? `item ${i + 1} ${r.problem}` : r.problem,
        r.hint,
      );
  });
  const weakness = spec.secret
    ? findWeakness(v.value, { checkLength: spec.minLength === undefined, extraWords: ctx.words })
    : undefined;
  if (weakness)
    report(
      soft,
      'env/weak-secret',
      `is a weak secret: it ${weakness}`,
      'generate a random value, e.g. `openssl rand -base64 32`, and store it only in the platform',
    );
  return out;
}
