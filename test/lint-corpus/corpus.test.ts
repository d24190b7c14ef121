import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lintSources, RULE_NAMES } from '../../src/migrations/lint/index.js';

const corpus = join(dirname(fileURLToPath(import.meta.url)), 'corpus');
const repoRoot = join(corpus, '../../..');
const files = ['squawk-cases', 'safe', 'unsafe'].flatMap((dir) =>
  readdirSync(join(corpus, dir))
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => join(corpus, dir, f)),
);
const REASONS = new Set(['new-table', 'transaction-mode', 'not-valid-inapplicable']);
const TIMEOUT_RULES = new Set(['require-lock-timeout', 'require-statement-timeout']);
/** Our rules squawk has no counterpart for. */
const OPSBOOK_ONLY_RULES = new Set(['concurrent-index-corruption-risk', 'syntax-error']);

interface SquawkViolation {
  file: string;
  line: number;
  rule_name: string;
}

function runSquawk(paths: string[]): SquawkViolation[] {
  try {
    return JSON.parse(
      execFileSync(
        join(repoRoot, 'node_modules/.bin/squawk'),
        ['--reporter', 'json', '--pg-version=15.0', ...paths],
        {
          encoding: 'utf8',
        },
      ),
    );
  } catch (error) {
    // squawk exits 1 when it found violations; its report is still on stdout.
    return JSON.parse((error as { stdout: string }).stdout);
  }
}

function header(text: string, key: string): { item: string; reason?: string }[] {
  const value = new RegExp(`^-- ${key}: (.*)$`, 'm').exec(text)?.[1] ?? '';
  if (value === 'nothing') return [];
  return value.split(', ').map((entry) => {
    const [, item = entry, reason] = /^(\S+)(?: \((.+)\))?$/.exec(entry) ?? [];
    return { item, reason };
  });
}

async function ours(file: string, text: string, runnerTimeouts = true): Promise<string[]> {
  const result = await lintSources([{ file, text }], {
    runnerTimeouts: { lock: runnerTimeouts, statement: runnerTimeouts },
  });
  return result.diagnostics.map((d) => `${d.code.replace('migration/', '')}@${d.location?.line}`);
}

const squawk = runSquawk(files);
const squawkFor = (file: string, keep: (rule: string) => boolean) =>
  squawk.filter((v) => v.file === file && keep(v.rule_name)).map((v) => `${v.rule_name}@${v.line + 1}`);
const sorted = (items: Iterable<string>) => [...new Set(items)].sort();

describe('the migration corpus', () => {
  it('has safe and unsafe migrations and squawk found something to compare', () => {
    expect(files.filter((f) => f.includes('/safe/')).length).toBeGreaterThanOrEqual(8);
    expect(files.filter((f) => f.includes('/unsafe/')).length).toBeGreaterThanOrEqual(8);
    expect(squawk.length).toBeGreaterThan(50);
  });

  it.each(files.map((f) => [f.slice(corpus.length + 1), f]))(
    '%s: opsbook reports what the file expects',
    async (_, file) => {
      const text = readFileSync(file, 'utf8');
      expect(sorted(await ours(file, text))).toEqual(sorted(header(text, 'expect').map((e) => e.item)));
    },
  );

  it.each(files.map((f) => [f.slice(corpus.length + 1), f]))(
    '%s: agrees with squawk except the documented context-aware differences',
    async (_, file) => {
      const text = readFileSync(file, 'utf8');
      const shared = (rule: string) =>
        RULE_NAMES.has(rule) && !OPSBOOK_ONLY_RULES.has(rule) && !TIMEOUT_RULES.has(rule);
      const mine = new Set((await ours(file, text)).filter((k) => shared(k.split('@')[0] ?? '')));
      const theirs = new Set(squawkFor(file, shared));
      const squawkOnly = header(text, 'squawk-only');
      const opsbookOnly = header(text, 'opsbook-only');
      expect(sorted([...theirs].filter((k) => !mine.has(k)))).toEqual(sorted(squawkOnly.map((e) => e.item)));
      expect(sorted([...mine].filter((k) => !theirs.has(k)))).toEqual(sorted(opsbookOnly.map((e) => e.item)));
      for (const d of [...squawkOnly, ...opsbookOnly]) expect(REASONS).toContain(d.reason);
    },
  );

  it('agrees with squawk on the timeout rules once the runner does not set timeouts', async () => {
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const mine = (await ours(file, text, false)).filter((k) => TIMEOUT_RULES.has(k.split('@')[0] ?? ''));
      expect({ file, timeouts: sorted(mine) }).toEqual({
        file,
        timeouts: sorted(squawkFor(file, (r) => TIMEOUT_RULES.has(r))),
      });
      // With the runner's timeouts (the default) the rules stay quiet.
      expect((await ours(file, text)).filter((k) => TIMEOUT_RULES.has(k.split('@')[0] ?? ''))).toEqual([]);
    }
  });
});
