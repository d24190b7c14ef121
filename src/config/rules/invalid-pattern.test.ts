import { describe, expect, it } from 'vitest';
import { compilePattern } from '../../logs/index.js';
import { validateConfigText } from '../validate.js';
import { logSignalRegex } from './invalid-pattern.js';

const stack = (service: string) =>
  `name: s\nservices:\n  api:\n    kind: web\n    urls: { production: https://api.example.com }\n${service}`;

const patternErrors = (yaml: string) =>
  validateConfigText(yaml, 'opsbook.yaml').diagnostics.filter((d) => d.code === 'config/invalid-pattern');

describe('config/invalid-pattern', () => {
  it.each([
    [
      'expect.body matches',
      '    health:\n      - type: readiness\n        path: /health\n        expect:\n          body:\n            - { path: status, matches: "(ok" }\n',
      { line: 11, column: 40 },
      /body condition on status .*\/\(ok\/: Unterminated group/,
    ],
    [
      'degraded matches',
      '    health:\n      - type: deep\n        path: /health\n        degraded:\n          - { path: status, matches: "[a-" }\n',
      { line: 10, column: 38 },
      /Unterminated character class/,
    ],
    [
      'an override health endpoint',
      '    overrides:\n      production:\n        health:\n          - { type: liveness, path: /h, expect: { body: [{ path: s, matches: "a{2,1}" }] } }\n',
      { line: 9 },
      /numbers out of order/,
    ],
    [
      'a /regex/ log signal',
      '    logs:\n      trouble: ["/(boom/"]\n',
      { line: 7, column: 17 },
      /trouble log signal of api .*Unterminated group/,
    ],
    [
      'a regex: true log signal',
      '    logs:\n      success: [{ pattern: "listening on (", regex: true }]\n',
      { line: 7, column: 28 },
      /success log signal of api/,
    ],
    ['bad flags on a log signal', '    logs:\n      trouble: ["/boom/qq"]\n', { line: 7 }, /flags/],
  ])('refuses an invalid regular expression in %s, with file:line:col and a fix', (_, yaml, at, message) => {
    const [d, ...rest] = patternErrors(stack(yaml));
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ severity: 'error', location: { file: 'opsbook.yaml', ...at } });
    expect(d!.message).toMatch(message);
    expect(d!.hint).toMatch(/escape special characters/);
  });

  it('accepts valid expressions, and text signals that only look like regular expressions', () => {
    const yaml = stack(
      '    health:\n      - { type: readiness, path: /h, expect: { body: [{ path: v, matches: "^v\\\\d+$" }] } }\n    logs:\n      trouble: ["(not a regex", { pattern: "(text", regex: false }, "/ok/i"]\n',
    );
    expect(patternErrors(yaml)).toEqual([]);
  });

  it('reads log signals exactly as the matcher compiles them (the rule and the run agree)', () => {
    const samples: unknown[] = [
      '/(boom/',
      '/boom/i',
      '/boom/qq',
      '(boom',
      '/a/',
      '//',
      { pattern: '(x', regex: true },
      { pattern: '/(x/', regex: true },
      { pattern: '/x/g', regex: true },
      { pattern: '(x', regex: false },
    ];
    for (const p of samples) {
      const regex = logSignalRegex(p);
      let ruleSays = true;
      if (regex)
        try {
          new RegExp(regex.source, regex.flags);
        } catch {
          ruleSays = false;
        }
      let runSays = true;
      try {
        compilePattern(p as Parameters<typeof compilePattern>[0]);
      } catch {
        runSays = false;
      }
      expect(ruleSays, JSON.stringify(p)).toBe(runSays);
    }
  });
});
