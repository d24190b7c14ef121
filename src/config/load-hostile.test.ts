import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from './load.js';
import { MAX_CONFIG_BYTES } from './parse-yaml.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'opsbook-hostile-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const loadYaml = (text: string) => loadConfig({ cwd: project({ 'opsbook.yaml': text }) });

describe('config loading, bounded', () => {
  it('reports a billion-laughs alias bomb as a diagnostic at the first alias', async () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(', ')}]`);
    }
    const result = await loadYaml(`name: bomb\nservices: {}\n${levels.join('\n')}\n`);
    expect(result.config).toBeUndefined();
    expect(result.diagnostics).toMatchObject([
      { code: 'config/alias-limit', severity: 'error', location: { file: 'opsbook.yaml', line: 4 } },
    ]);
  });

  it('refuses a config file over the size limit without parsing it', async () => {
    const result = await loadYaml(`name: big\n# ${'x'.repeat(MAX_CONFIG_BYTES)}\n`);
    expect(result.diagnostics).toMatchObject([{ code: 'config/too-large', severity: 'error' }]);
  });

  it('still finds a duplicate service among thousands, at the second occurrence', async () => {
    const services = Array.from({ length: 5000 }, (_, i) => `  s${i}: { kind: worker }`);
    services.push('  s42: { kind: web }');
    const result = await loadYaml(`name: many\nservices:\n${services.join('\n')}\n`);
    expect(result.diagnostics).toMatchObject([
      { code: 'config/duplicate-key', location: { line: 5003, column: 3 } },
    ]);
  });

  it('bounds durations per field and says which bound (a 25-day gate timeout overflowed the timer)', async () => {
    const result = await loadYaml(
      'name: slow\nservices: { api: { kind: web } }\ngates:\n  - { id: tests, run: npm test, timeout: 25d }\n',
    );
    expect(result.config).toBeUndefined();
    expect(result.diagnostics).toMatchObject([
      {
        code: 'config/duration-too-long',
        message: expect.stringContaining('25d is too long for a gate timeout: at most 24h'),
        location: { path: 'gates[0].timeout', line: 4 },
      },
    ]);
    const window = await loadYaml(
      'name: ok\nservices: { api: { kind: web } }\nslos:\n  - { id: a, service: api, indicator: availability, objective: 99%, window: 90d }\n',
    );
    expect(window.diagnostics).toEqual([]);
  });

  it('refuses an empty or blank command, which crashed a gate or passed it having run nothing', async () => {
    const result = await loadYaml(
      [
        'name: blank',
        'services:',
        '  api: { kind: web, provider: { type: command, deploy: "  " } }',
        'gates:',
        '  - { id: tests, run: "" }',
        '  - { id: lint, run: "   " }',
        'maintenance:',
        '  - { id: chore, title: Chore, every: weekly, run: " " }',
        '',
      ].join('\n'),
    );
    expect(result.config).toBeUndefined();
    const blank = result.diagnostics.filter((d) => d.message.includes('not an empty string'));
    expect(blank.map((d) => d.location?.path).sort()).toEqual([
      'gates[0].run',
      'gates[1].run',
      'maintenance[0].run',
      'services.api.provider.deploy',
    ]);
  });
});

describe('opsbook.config.ts that misbehaves', () => {
  it('names a mapping written where one of a few words belongs, not as [object Object]', async () => {
    const result = await loadYaml(
      'name: x\nservices:\n  api:\n    kind: web\ndeploy:\n  rollback:\n    on: [{ when: health }]\n',
    );
    const diagnostic = result.diagnostics.find((d) => d.code === 'config/invalid-value');
    expect(diagnostic?.message).toMatch(/^deploy\.rollback\.on\[0\]: a mapping is not one of build-failed/);
  });

  it('points at file:line:col of an error thrown while loading', async () => {
    const cwd = project({
      'opsbook.config.ts':
        "const x: number = 1;\n\nthrow new Error('no config today');\nexport default {};\n",
    });
    const result = await loadConfig({ cwd });
    expect(result.diagnostics).toMatchObject([
      {
        code: 'config/ts-load-failed',
        message: expect.stringContaining('no config today'),
        location: { file: 'opsbook.config.ts', line: 3, column: 7 },
      },
    ]);
  });

  it('points at the position of a syntax error', async () => {
    const cwd = project({ 'opsbook.config.ts': 'const x = ;\nexport default {};\n' });
    const result = await loadConfig({ cwd });
    expect(result.diagnostics).toMatchObject([
      { code: 'config/ts-load-failed', location: { file: 'opsbook.config.ts', line: 1, column: 10 } },
    ]);
  });

  it('reports a thrown non-Error with what was thrown', async () => {
    const cwd = project({ 'opsbook.config.ts': "throw 'not ready';\nexport default {};\n" });
    const result = await loadConfig({ cwd });
    expect(result.diagnostics).toMatchObject([
      { code: 'config/ts-load-failed', message: expect.stringContaining('threw not ready') },
    ]);
  });

  it('ends a never-settling top-level await with a clear message after the timeout', async () => {
    const cwd = project({ 'opsbook.config.ts': 'await new Promise(() => {});\nexport default {};\n' });
    const result = await loadConfig({ cwd, timeoutMs: 300 });
    expect(result.diagnostics).toMatchObject([
      {
        code: 'config/ts-load-timeout',
        message: expect.stringContaining('did not finish loading within 0.3 s'),
        location: { file: 'opsbook.config.ts' },
      },
    ]);
  });
});
