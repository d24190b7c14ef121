import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist', 'main.js');
const broken = join(root, 'test', 'fixtures', 'broken.opsbook.yaml');

function opsbook(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, [cli, ...args], {
    cwd: options.cwd ?? root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...options.env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const minimal = `name: tiny
environments:
  production: { protected: true }
services:
  api:
    kind: web
    urls: { production: https://api.example.com }
    health: [{ type: liveness, path: /health }]
    dependsOn: [{ service: db, critical: true }]
  db: { kind: database }
`;

describe('the built CLI', () => {
  beforeAll(() => {
    if (!existsSync(cli))
      throw new Error('dist/main.js is missing: run `npm run build` first (npm test does)');
  });

  it('prints the version from package.json', () => {
    const r = opsbook(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('lists every command in --help and documents exit codes', () => {
    const r = opsbook(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['init', 'validate', 'status', 'schema']) expect(r.stdout).toContain(c);
    expect(r.stdout).toContain('Exit codes');
  });

  it('shows per-command help', () => {
    const r = opsbook(['status', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--env');
  });

  it('suggests the closest command for a typo and exits 2', () => {
    const r = opsbook(['statsu']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("did you mean 'opsbook status'");
    expect(r.stderr).not.toContain('    at ');
  });

  it('suggests the closest flag for an unknown one', () => {
    const r = opsbook(['status', '--evn', 'production']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--env');
    expect(r.stderr).not.toContain('To specify a positional argument');
    // A known flag used wrongly gets no "did you mean" itself.
    const dash = opsbook(['log', '--days', '-3']);
    expect(dash.code).toBe(2);
    expect(dash.stderr).toContain('write --days=VALUE');
    expect(opsbook(['log', '--limit']).stderr).not.toContain('did you mean');
  });

  it('refuses an argument a command does not take instead of ignoring it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'opsbook-args-'));
    writeFileSync(join(dir, 'opsbook.yaml'), minimal);
    // `deploy api` must not deploy every service, nor `unlock staging` look at production.
    const deploy = opsbook(['deploy', 'api', '--dry-run'], { cwd: dir });
    expect(deploy.code).toBe(2);
    expect(deploy.stderr).toContain('pass --service api');
    const unlock = opsbook(['unlock', 'staging'], { cwd: dir });
    expect(unlock.code).toBe(2);
    expect(unlock.stderr).toContain('pass --env staging');
    expect(existsSync(join(dir, '.opsbook'))).toBe(false);
    expect(opsbook(['validate', 'opsbook.yaml'], { cwd: dir }).code).toBe(0);
  });

  it('reports every mistake of a config with file:line:col and exits 1', () => {
    const r = opsbook(['validate', broken]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /broken\.opsbook\.yaml:\d+:\d+ \(services\.api\.helth\): error unknown key 'helth'/,
    );
    expect(r.stderr).toContain("did you mean 'health'?");
    expect(r.stderr).toContain("did you mean 'database'?");
    expect(r.stderr).toContain('[config/unknown-service]');
    expect(r.stderr).toMatch(/(\d+) error\(s\)/);
    expect(Number(/(\d+) error\(s\)/.exec(r.stderr)?.[1])).toBeGreaterThanOrEqual(10);
  });

  it('wraps results in one JSON envelope with --json', () => {
    const r = opsbook(['validate', broken, '--json']);
    expect(r.code).toBe(1);
    const env = JSON.parse(r.stdout);
    expect(env).toMatchObject({ ok: false, command: 'validate', data: { valid: false } });
    expect(env.version).toMatch(/^\d+\./);
    expect(env.diagnostics.length).toBeGreaterThanOrEqual(10);
    expect(env.diagnostics[0]).toHaveProperty('location.line');
    expect(env.diagnostics[0]).toHaveProperty('code');
  });

  it('puts errors in the JSON envelope too', () => {
    const r = opsbook(['nope', '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { message: "unknown command 'nope'" } });
  });

  it('takes the global options before the command too, and refuses a --cwd that is no folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'opsbook-cli-'));
    writeFileSync(join(dir, 'opsbook.yaml'), minimal);
    const r = opsbook(['--cwd', dir, '--json', 'status', '--offline']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, command: 'status' });
    const missing = opsbook(['validate', '--cwd', join(dir, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`--cwd ${join(dir, 'nope')}: no such directory`);
  });

  it('prints the architecture table of a valid config', () => {
    const dir = mkdtempSync(join(tmpdir(), 'opsbook-cli-'));
    writeFileSync(join(dir, 'opsbook.yaml'), minimal);
    // --offline: the example URL is not on loopback, and no test touches the internet.
    const r = opsbook(['status', '--offline'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/SERVICE\s+KIND\s+PLATFORM\s+URL/);
    expect(r.stdout).toMatch(/api\s+web\s+-\s+https:\/\/api\.example\.com\s+db/);
    const json = JSON.parse(opsbook(['status', '--offline', '--json'], { cwd: dir }).stdout);
    expect(json.data.services.map((s: { service: string }) => s.service)).toEqual(['api', 'db']);
  });

  it('probes the services live: healthy, and unhealthy with the reason', async () => {
    let up = true;
    const server = createServer((_req, res) => {
      res.statusCode = up ? 200 : 503;
      res.end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const dir = mkdtempSync(join(tmpdir(), 'opsbook-cli-'));
    writeFileSync(
      join(dir, 'opsbook.yaml'),
      `name: live\nservices:\n  api:\n    kind: web\n    urls: { production: "${url}" }\n    health: [{ type: readiness, path: /ready }]\n`,
    );
    // spawn, not spawnSync: the loopback server answers from this process's event loop.
    const status = () =>
      new Promise<string>((resolve) => {
        const child = spawn(process.execPath, [cli, 'status', '--json'], { cwd: dir });
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.on('close', () => resolve(out));
      });
    try {
      expect(JSON.parse(await status()).data.services[0].health).toEqual({ state: 'healthy', reasons: [] });
      up = false;
      const down = JSON.parse(await status()).data.services[0].health;
      expect(down.state).toBe('unhealthy');
      expect(down.reasons.join(' ')).toContain('503');
    } finally {
      server.close();
    }
  });

  it('explains a missing config instead of failing with a stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'opsbook-cli-'));
    const r = opsbook(['status'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('opsbook init');
    expect(r.stderr).not.toContain('    at ');
  });

  it('loads opsbook.config.ts with defineConfig, without a build step', () => {
    const dir = mkdtempSync(join(tmpdir(), 'opsbook-cli-'));
    writeFileSync(
      join(dir, 'opsbook.config.ts'),
      `import { defineConfig } from 'opsbook';\nconst kind: 'web' = 'web';\nexport default defineConfig({ name: 'typed', services: { api: { kind } } });\n`,
    );
    const r = opsbook(['validate', '--json'], { cwd: dir });
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, data: { files: [{ valid: true, services: 1 }] } });
  });

  it('reports mistakes in opsbook.config.ts by config path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'opsbook-cli-'));
    writeFileSync(
      join(dir, 'opsbook.config.ts'),
      `export default { name: 'typed', services: { api: { kind: 'wbe' } } };\n`,
    );
    const r = opsbook(['validate'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('opsbook.config.ts (services.api.kind)');
    expect(r.stderr).toContain("did you mean 'web'?");
  });
});
