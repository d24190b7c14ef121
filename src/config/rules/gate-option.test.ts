import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUILTIN_GATE_OPTIONS } from '../schema-delivery.js';
import { validateConfigText } from '../validate.js';

const withGates = (gates: string) =>
  `name: s\nservices:\n  api: { kind: web, urls: { production: https://api.example.com } }\ngates:\n${gates}`;
const found = (gates: string) =>
  validateConfigText(withGates(gates), 'opsbook.yaml').diagnostics.filter(
    (d) => d.code === 'config/gate-option',
  );

describe('config/gate-option', () => {
  it('names the option a typo meant', () => {
    const [d, ...rest] = found('  - { id: s, builtin: secrets, options: { histroy: true } }\n');
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      severity: 'error',
      message: "the secrets gate has no option 'histroy'",
      hint: "did you mean 'history'?",
      location: { file: 'opsbook.yaml', line: 5, column: 43 },
    });
  });

  it('lists what the gate reads when nothing is close, and says when it reads nothing', () => {
    const [env, lockfile] = found(
      '  - { id: e, builtin: env, options: { source: process } }\n  - { id: l, builtin: lockfile, options: { strict: true } }\n',
    );
    expect(env!.hint).toBe('the env gate reads: from');
    expect(lockfile!.hint).toBe('the lockfile gate takes no options: remove them');
  });

  it('refuses a value of the wrong type, with an example', () => {
    const [history, from] = found(
      '  - { id: s, builtin: secrets, options: { history: "yes" } }\n  - { id: e, builtin: env, options: { from: 3 } }\n',
    );
    expect(history).toMatchObject({
      message: "option 'history' of the secrets gate must be true or false, not the string 'yes'",
      hint: 'e.g. history: true',
      location: { line: 5 },
    });
    expect(from).toMatchObject({
      message: "option 'from' of the env gate must be a non-empty string, not 3",
      location: { line: 6 },
    });
  });

  it('refuses options on a command or confirm gate, which read none', () => {
    const [run, confirm] = found(
      '  - { id: t, run: npm test, options: { history: true } }\n  - { id: c, confirm: "Reviewed?", options: { x: 1 } }\n',
    );
    expect(run!.message).toBe("options apply only to built-in gates; gate 't' runs a command and reads none");
    expect(confirm!.message).toMatch(/gate 'c' asks a person/);
  });

  it('refuses cwd and timeout on gates that run no command, which ignored them', () => {
    const [cwd, timeout, asked] = found(
      '  - { id: s, builtin: secrets, cwd: packages/api }\n  - { id: m, builtin: migrations, timeout: 30s }\n  - { id: c, confirm: "Reviewed?", cwd: docs }\n',
    );
    expect(cwd).toMatchObject({
      severity: 'error',
      message:
        "cwd applies only to command gates and the lockfile gate; gate 's' is the built-in secrets check and does not read it",
      hint: 'to scan one folder, write options: { path: packages/api }',
      location: { line: 5 },
    });
    expect(timeout).toMatchObject({
      message: expect.stringContaining("gate 'm' is the built-in migrations"),
      hint: 'remove timeout',
      location: { line: 6 },
    });
    expect(asked!.message).toMatch(/gate 'c' asks a person/);
    expect(
      found(
        '  - { id: t, run: npm test, cwd: packages/api, timeout: 5m }\n  - { id: l, builtin: lockfile, cwd: web }\n',
      ),
    ).toEqual([]);
  });

  it('warns about inputs on a gate that is never cached, which nothing reads', () => {
    const [confirm, off] = found(
      '  - { id: c, confirm: "Reviewed?", inputs: [src/**] }\n  - { id: t, run: npm test, inputs: [src/**], cache: false }\n',
    );
    expect(confirm).toMatchObject({
      severity: 'warning',
      message: expect.stringContaining("gate 'c' is never cached (a person answers it on each run)"),
      hint: 'remove inputs, or add cache: true to replay its pass while they are unchanged',
      location: { line: 5 },
    });
    expect(off!.message).toContain('(cache: false)');
    expect(
      found(
        '  - { id: c, confirm: "Reviewed?", inputs: [src/**], cache: true }\n  - { id: t, run: npm test, inputs: [src/**] }\n',
      ),
    ).toEqual([]);
  });

  it('accepts every option the gates read, with the right types', () => {
    expect(
      found(
        '  - { id: s, builtin: secrets, options: { history: true, path: src, baseline: b.json } }\n  - { id: e, builtin: env, options: { from: "file:.env" } }\n  - { id: g, builtin: git, options: { allowAnyBranch: false } }\n',
      ),
    ).toEqual([]);
  });

  it('lists exactly the options each built-in gate reads (the table and the gates agree)', () => {
    for (const [gate, options] of Object.entries(BUILTIN_GATE_OPTIONS)) {
      const source = readFileSync(new URL(`../../checks/gates/${gate}-gate.ts`, import.meta.url), 'utf8');
      const read = [...new Set([...source.matchAll(/options\?\.(\w+)/g)].map((m) => m[1]))].sort();
      expect(read, gate).toEqual(Object.keys(options).sort());
    }
  });
});
