import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { type CommandValues, commandInput } from '../../test/support/command-input.js';
import { writeTree } from '../../test/support/init/fixture.js';
import { initProject } from '../app/init.js';
import { loadConfig } from '../config/index.js';
import { UserError } from '../errors.js';
import { createOutput } from '../output/index.js';
import { run } from './init.js';
import { INIT_ARGS } from './specs-release.js';

const DEMO = fileURLToPath(new URL('../../examples/demo', import.meta.url));
const PROJECT = {
  'package.json': JSON.stringify({ name: 'shop', scripts: { test: 'vitest run', start: 'node server.js' } }),
  '.env.example': 'PORT=3000\nSTRIPE_SECRET_KEY=sk_test_0123456789abcdef\n',
};

function input(cwd: string, values: CommandValues<typeof INIT_ARGS> = {}) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const out = createOutput({
    mode: 'plain',
    stdout: { write: (s: string) => stdout.push(s) },
    stderr: { write: (s: string) => stderr.push(s) },
    env: {},
  });
  const cmd = commandInput(INIT_ARGS, { values, cwd, out });
  return { cmd, out, stdout, stderr };
}

describe('initProject', () => {
  it('writes an opsbook.yaml that loads without errors, with the schema line for editors first', async () => {
    const cwd = writeTree(PROJECT);
    const result = await initProject({ cwd });
    expect(result).toMatchObject({ file: 'opsbook.yaml', written: true, valid: true });
    const text = readFileSync(join(cwd, 'opsbook.yaml'), 'utf8');
    expect(text.split('\n')[0]).toBe(
      '# yaml-language-server: $schema=./node_modules/opsbook/opsbook.schema.json',
    );
    expect(text).not.toContain('sk_test_');
    const loaded = await loadConfig({ cwd });
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(loaded.config?.services.web?.env.STRIPE_SECRET_KEY).toMatchObject({ secret: true });
    expect(result.detected).toMatchObject({
      files: ['package.json', '.env.example'],
      gates: ['test'],
      env: [{ service: 'web', variables: 2, secrets: 1 }],
    });
  });

  it('adds .opsbook/ to an existing .gitignore once, so the local state is never committed', async () => {
    const dir = writeTree({ ...PROJECT, '.gitignore': 'node_modules' });
    const first = await initProject({ cwd: dir });
    expect(first.gitignored).toBe(true);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe(
      'node_modules\n# opsbook state: the local store, gate logs and backups\n.opsbook/\n',
    );
    const again = await initProject({ cwd: dir, force: true });
    expect(again.gitignored).toBe(false);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8').match(/\.opsbook\//g)).toHaveLength(1);
  });

  it('ignores .opsbook/ in a package folder of a monorepo (no .git of its own), unless the root ignores it', async () => {
    const root = writeTree({ 'packages/api/package.json': PROJECT['package.json'] });
    execFileSync('git', ['init', '-q'], { cwd: root });
    const api = join(root, 'packages', 'api');
    expect((await initProject({ cwd: api })).gitignored).toBe(true);
    expect(readFileSync(join(api, '.gitignore'), 'utf8')).toContain('.opsbook/\n');

    const web = writeTree({ '.gitignore': '.opsbook/\n', 'apps/web/package.json': PROJECT['package.json'] });
    execFileSync('git', ['init', '-q'], { cwd: web });
    expect((await initProject({ cwd: join(web, 'apps', 'web') })).gitignored).toBe(false);
    expect(existsSync(join(web, 'apps', 'web', '.gitignore'))).toBe(false);
  });

  it('leaves a directory that is not a git repository and has no .gitignore alone', async () => {
    const dir = writeTree(PROJECT);
    expect((await initProject({ cwd: dir })).gitignored).toBe(false);
    expect(existsSync(join(dir, '.gitignore'))).toBe(false);
  });

  it('refuses to overwrite an existing config without --force, and overwrites with it', async () => {
    const cwd = writeTree({ ...PROJECT, 'opsbook.yaml': 'name: mine\n' });
    const refused = await initProject({ cwd }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UserError);
    expect((refused as UserError).code).toBe('init/config-exists');
    expect(readFileSync(join(cwd, 'opsbook.yaml'), 'utf8')).toBe('name: mine\n');
    await initProject({ cwd, force: true });
    expect(readFileSync(join(cwd, 'opsbook.yaml'), 'utf8')).toContain('name: shop');
  });

  it('treats an opsbook.config.ts as an existing config too', async () => {
    const cwd = writeTree({ ...PROJECT, 'opsbook.config.ts': 'export default {}\n' });
    await expect(initProject({ cwd })).rejects.toThrow('opsbook.config.ts already exists');
  });

  it('with --dry-run returns the config and writes nothing', async () => {
    const cwd = writeTree(PROJECT);
    const result = await initProject({ cwd, dryRun: true, name: 'preview' });
    expect(result).toMatchObject({ written: false, dryRun: true, valid: true });
    expect(result.text).toContain('name: preview');
    expect(existsSync(join(cwd, 'opsbook.yaml'))).toBe(false);
  });

  it('never writes a config that does not validate', async () => {
    const cwd = writeTree({
      'render.yaml': 'services:\n  - type: cron\n    name: report\n    schedule: "every morning"\n',
    });
    const result = await initProject({ cwd });
    expect(result).toMatchObject({ valid: false, written: false });
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({ severity: 'error', code: 'config/invalid-schedule' }),
    );
    expect(existsSync(join(cwd, 'opsbook.yaml'))).toBe(false);
  });
});

describe('opsbook init in a copy of examples/demo without its opsbook.yaml', () => {
  const copy = mkdtempSync(join(tmpdir(), 'opsbook-demo-init-'));
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  it('writes a config that validates and describes the demo', async () => {
    cpSync(DEMO, copy, { recursive: true, filter: (src) => !/[/\\](\.data|node_modules)$/.test(src) });
    rmSync(join(copy, 'opsbook.yaml'));
    const result = await initProject({ cwd: copy });
    expect(result.written).toBe(true);
    const loaded = await loadConfig({ cwd: copy });
    expect(loaded.diagnostics).toEqual([]);
    const config = loaded.config!;
    expect(Object.entries(config.services).map(([name, s]) => [name, s.kind, s.start])).toEqual([
      ['web', 'web', 'node api/server.mjs'],
      ['worker', 'worker', 'node worker/worker.mjs'],
      ['db', 'database', undefined],
    ]);
    expect(config.migrations).toMatchObject({ database: 'db', dir: 'migrations', engine: 'sql' });
    // The demo ships a package-lock.json (its maintenance audit needs one), so init adds the lockfile gate.
    expect(config.gates.map((g) => g.id)).toEqual([
      'git',
      'secrets',
      'lockfile',
      'env',
      'lint',
      'migrations',
    ]);
    expect(config.services.web?.env.HEARTBEAT_STALE_MS).toMatchObject({ default: '15000', secret: false });
    expect(config.services.web?.env.DEMO_BROKEN).toMatchObject({ required: false, example: '1' });
  });
});

describe('the init command', () => {
  it('prints what it wrote and what it detected', async () => {
    const cwd = writeTree(PROJECT);
    const { cmd, out, stdout, stderr } = input(cwd);
    const outcome = await run(cmd);
    expect(outcome.ok).toBe(true);
    outcome.print?.(out);
    const text = stdout.join('') + stderr.join('');
    expect(text).toContain('ok wrote opsbook.yaml');
    // No .gitignore to add to: that is not a dry run.
    expect(text).not.toContain('dry run');
    expect(text).toMatch(/services\s+web \(web\)/);
    expect(outcome.data).not.toHaveProperty('text');
  });

  it('prints only the config on stdout in a dry run, and puts it in the JSON data', async () => {
    const cwd = writeTree(PROJECT);
    writeFileSync(join(cwd, 'opsbook.yaml'), 'name: kept\n');
    const { cmd, out, stdout } = input(cwd, { 'dry-run': true });
    const outcome = await run(cmd);
    outcome.print?.(out);
    expect(stdout.join('')).toMatch(/^# yaml-language-server[\s\S]*name: shop[\s\S]*\n\n$/);
    expect(outcome.data).toMatchObject({
      written: false,
      dryRun: true,
      text: expect.stringContaining('name: shop'),
    });
    expect(readFileSync(join(cwd, 'opsbook.yaml'), 'utf8')).toBe('name: kept\n');
  });
});
