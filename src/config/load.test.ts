import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../diagnostics/index.js';
import { loadConfig } from './load.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Writes `text` as opsbook.yaml in a fresh temp dir and loads it the way the CLI does. */
async function loadText(text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'opsbook-load-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'opsbook.yaml'), text);
  return loadConfig({ cwd: dir });
}

/** 1-based line and column of the first occurrence of `needle`, which must occur exactly once. */
function positionOf(text: string, needle: string): { line: number; column: number } {
  const index = text.indexOf(needle);
  if (index < 0 || text.indexOf(needle, index + 1) >= 0) throw new Error(`'${needle}' must occur once`);
  const before = text.slice(0, index).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

const summary = (d: Diagnostic) => ({
  code: d.code,
  severity: d.severity,
  file: d.location?.file,
  line: d.location?.line,
  column: d.location?.column,
});

// Each line marked "mistake" holds one error; everything else is valid.
const MISTAKES = `name: broken
environments:
  production:
    protected: true
services:
  api:
    kind: web
    platfrom: render            # mistake: unknown key (typo)
    provider:
      type: rendr               # mistake: unknown discriminator
    urls:
      prodution: https://api.example.com   # mistake: unknown environment
    dependsOn:
      - postgress               # mistake: unknown service
      - worker
    health:
      - type: liveness
        path: /health
        timeout: 5 minutes      # mistake: not a duration
    env:
      API_TOKEN:
        secret: true
        default: s3cr3t-value   # mistake: a secret with a default
  worker:
    kind: wrker                 # mistake: bad enum value
    dependsOn:
      - api                     # mistake: api -> worker -> api
  postgres:
    kind: database
`;

describe('loadConfig with mistakes', async () => {
  const result = await loadText(MISTAKES);
  const at = (needle: string) => ({
    file: 'opsbook.yaml',
    severity: 'error',
    ...positionOf(MISTAKES, needle),
  });
  const find = (code: string) => result.diagnostics.filter((d) => d.code === code);

  it('returns no config', () => expect(result.config).toBeUndefined());

  it('reports every mistake at once, each with its code, line and column', () => {
    const expected = [
      { code: 'config/unknown-key', ...at('platfrom') },
      { code: 'config/invalid-value', ...at('rendr') },
      { code: 'config/unknown-environment', ...at('prodution') },
      { code: 'config/unknown-service', ...at('postgress') },
      { code: 'config/invalid-format', ...at('5 minutes') },
      { code: 'config/secret-default', ...at('s3cr3t-value') },
      { code: 'config/invalid-value', ...at('wrker') },
      // The cycle is reported on the dependsOn list where it starts.
      { code: 'config/dependency-cycle', ...at('- postgress') },
    ];
    const byPosition = (a: { line?: number; column?: number }, b: { line?: number; column?: number }) =>
      (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
    expect(result.diagnostics.map(summary).sort(byPosition)).toEqual(expected.sort(byPosition));
  });

  it('suggests the name that was meant for typos of keys, types, environments, services and enums', () => {
    const hints = result.diagnostics.map((d) => d.hint ?? '');
    for (const meant of ['platform', 'render', 'production', 'postgres', 'worker'])
      expect(hints).toContain(`did you mean '${meant}'?`);
  });

  it('names the cycle and the path of each problem', () => {
    expect(find('config/dependency-cycle')[0]?.message).toContain('api -> worker -> api');
    expect(find('config/unknown-key')[0]?.location?.path).toBe('services.api.platfrom');
    expect(find('config/invalid-format')[0]?.message).toMatch(/expected a duration/);
  });

  it('never repeats the secret value it complains about', () => {
    expect(JSON.stringify(result.diagnostics)).not.toContain('s3cr3t-value');
    expect(find('config/secret-default')[0]?.hint).toMatch(/remove the default/);
  });
});

describe('loadConfig with a required choice left out', () => {
  it("says the field is missing, where it belongs and what to write, not that 'undefined' is not allowed", async () => {
    const text = `name: shop
services:
  web:
    kind: web
    urls: { production: "https://shop.example.com" }
    health:
      - path: /health
`;
    const { diagnostics } = await loadText(text);
    expect(diagnostics).toEqual([
      expect.objectContaining({
        code: 'config/missing-field',
        message: "services.web.health[0] is missing required field 'type'",
        hint: "add 'type:' with one of: liveness, readiness, deep, ping, detailed, smoke",
        location: expect.objectContaining({ line: 7, path: 'services.web.health[0]' }),
      }),
    ]);
  });
});

describe('loadConfig with broken YAML', () => {
  it('reports a duplicate key at the second occurrence', async () => {
    const text = 'name: dup\nservices:\n  api:\n    kind: web\n    kind: worker\n';
    const result = await loadText(text);
    expect(result.config).toBeUndefined();
    expect(result.diagnostics.map(summary)).toEqual([
      {
        code: 'config/duplicate-key',
        severity: 'error',
        file: 'opsbook.yaml',
        ...positionOf(text, 'kind: worker'),
      },
    ]);
  });

  it('reports a syntax error with its position and no stack trace', async () => {
    const text = 'name: bad\nservices:\n  api:\n\tkind: web\n';
    const result = await loadText(text);
    expect(result.config).toBeUndefined();
    expect(result.diagnostics.map(summary)).toEqual([
      { code: 'config/yaml-syntax', severity: 'error', file: 'opsbook.yaml', line: 4, column: 1 },
    ]);
    expect(result.diagnostics[0]?.message).toMatch(/tab/i);
    expect(result.diagnostics[0]?.message).not.toMatch(/\n\s+at /);
  });
});

describe('loadConfig with a valid config', () => {
  it('returns the config with defaults and no diagnostics', async () => {
    const result = await loadText('name: ok\nservices:\n  api:\n    kind: web\n');
    expect(result.diagnostics).toEqual([]);
    expect(result.config?.environments).toEqual({ production: { protected: true } });
    expect(result.config?.services.api?.dependsOn).toEqual([]);
  });
});

describe('loadConfig with two config files side by side', () => {
  it('warns that the one it does not read takes no effect, and says nothing when it is asked for by name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'opsbook-load-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'opsbook.yaml'), 'name: ok\nservices:\n  api: { kind: web }\n');
    writeFileSync(join(dir, 'opsbook.config.ts'), "export default { name: 'other', services: {} };\n");
    const found = await loadConfig({ cwd: dir });
    expect(found.config?.name).toBe('ok');
    expect(found.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'config/ignored-file',
        message:
          'opsbook.config.ts is not read: opsbook.yaml comes first, so nothing in opsbook.config.ts takes effect',
        location: { file: 'opsbook.config.ts' },
      }),
    ]);
    expect((await loadConfig({ cwd: dir, file: 'opsbook.yaml' })).diagnostics).toEqual([]);
  });
});
