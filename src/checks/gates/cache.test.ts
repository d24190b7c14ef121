/**
 * A replayed gate result is never stale: what a gate reads outside the git tree (env values, a live system, a
 * person) keys its cache entry or keeps it out of the cache.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateConfigText } from '../../config/validate.js';
import { createRedactor } from '../../redact/index.js';
import { openStore } from '../../store/index.js';
import { runChecks } from './run-gates.js';

const SECRET = 'Zq8v3Lr1Kp5Xw7Nt2Bc9Hs4Jd6Mf0Gy'; // gitleaks:allow (a test value)

function project(body: string, files: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'opsbook-gate-cache-'));
  writeFileSync(join(dir, 'opsbook.yaml'), body);
  // .env.* is ignored like real projects do: its content is not part of the tree fingerprint.
  writeFileSync(join(dir, '.gitignore'), '.opsbook/\n.env.*\n');
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
      cwd: dir,
      stdio: 'ignore',
    });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-qm', 'init');
  const { config, diagnostics } = validateConfigText(body, 'opsbook.yaml');
  if (!config) throw new Error(JSON.stringify(diagnostics));
  return { dir, config };
}

async function check(
  p: ReturnType<typeof project>,
  env: NodeJS.ProcessEnv = {},
  extra: Partial<Parameters<typeof runChecks>[0]> = {},
) {
  const redactor = createRedactor();
  const store = await openStore({ cwd: p.dir, env: {}, redactor });
  try {
    return await runChecks({
      cwd: p.dir,
      config: p.config,
      environment: 'production',
      env: { PATH: process.env.PATH, ...env },
      signal: new AbortController().signal,
      redactor,
      actor: 'tester',
      store,
      ...extra,
    });
  } finally {
    await store.close();
  }
}

const counter = (p: { dir: string }) => join(p.dir, '..', `runs-${p.dir.split('/').pop()}.txt`);
const runs = (p: { dir: string }) => readFileSync(counter(p), 'utf8').trim().split('\n').length;
const COUNT = 'echo x >> ../runs-$(basename $PWD).txt';

describe('the env gate cache', () => {
  const fileStack = `name: t
environments:
  production: { envFile: .env.production }
services:
  api:
    kind: web
    env:
      API_KEY: { secret: true, minLength: 20 }
gates:
  - { id: env, builtin: env }
`;

  it('reruns when a value in the (git-ignored) env file changes, and replays while it does not', async () => {
    const p = project(fileStack, { '.env.production': `API_KEY=${SECRET}\n` });
    expect((await check(p)).gates[0]).toMatchObject({ status: 'passed', cached: false });
    expect((await check(p)).gates[0]).toMatchObject({ status: 'passed', cached: true });
    writeFileSync(join(p.dir, '.env.production'), 'API_KEY=short\n');
    const after = await check(p);
    expect(after.gates[0]).toMatchObject({ status: 'failed', cached: false });
    expect(after.passed).toBe(false);
  });

  it('reruns when a value of the process environment changes', async () => {
    const stack = fileStack.replace('  production: { envFile: .env.production }\n', '  production: {}\n');
    const p = project(stack);
    expect((await check(p, { API_KEY: SECRET })).gates[0]!.status).toBe('passed');
    expect((await check(p, { API_KEY: SECRET })).gates[0]!.cached).toBe(true);
    const missing = await check(p, {});
    expect(missing.gates[0]).toMatchObject({ status: 'failed', cached: false });
  });

  it('reruns when the values come from another file, even with the same content', async () => {
    const p = project(fileStack, {
      '.env.production': `API_KEY=${SECRET}\n`,
      '.env.copy': `API_KEY=${SECRET}\n`,
    });
    expect((await check(p)).gates[0]!.cached).toBe(false);
    p.config.environments.production!.envFile = '.env.copy';
    const elsewhere = await check(p);
    expect(elsewhere.gates[0]).toMatchObject({ status: 'passed', cached: false });
    expect(elsewhere.gates[0]!.evidence).toMatchObject({ source: 'file:.env.copy' });
  });

  it('keeps neither the values nor their hash in the store, only the key', async () => {
    const p = project(fileStack, { '.env.production': `API_KEY=${SECRET}\n` });
    await check(p);
    await check(p);
    const { createHash } = await import('node:crypto');
    const hash = createHash('sha256').update(SECRET).digest('hex');
    for (const f of readdirSync(join(p.dir, '.opsbook'), { recursive: true, encoding: 'utf8' })) {
      let text = '';
      try {
        text = readFileSync(join(p.dir, '.opsbook', f)).toString('latin1');
      } catch {
        continue; // a folder
      }
      expect(text, f).not.toContain(SECRET);
      expect(text, f).not.toContain(hash);
    }
  });
});

describe('the secrets gate cache', () => {
  const stack = 'name: t\nservices:\n  api: { kind: web }\ngates:\n  - { id: secrets, builtin: secrets }\n';
  const key = `ghp_${'Zq8v3Lr1Kp5Xw7Nt2Bc9Hs4Jd6Mf0GyAb12'}`; // gitleaks:allow (a test value)

  it('reruns when a finding is taken out of the baseline (kept in .opsbook/, outside the tree)', async () => {
    const p = project(stack, { 'config.js': `export const token = "${key}";\n` });
    const { scanSecrets } = await import('../secrets/index.js');
    await scanSecrets({ cwd: p.dir, writeBaseline: true });
    expect((await check(p)).gates[0]).toMatchObject({ status: 'passed', cached: false });
    expect((await check(p)).gates[0]).toMatchObject({ status: 'passed', cached: true });
    writeFileSync(join(p.dir, '.opsbook', 'secrets-baseline.json'), '{"version": 1, "findings": []}\n');
    expect((await check(p)).gates[0]).toMatchObject({ status: 'failed', cached: false });
  });

  it('reruns a history scan when another branch gets a commit, HEAD unchanged', async () => {
    const p = project(stack.replace('builtin: secrets }', 'builtin: secrets, options: { history: true } }'));
    expect((await check(p)).gates[0]).toMatchObject({ status: 'passed', cached: false });
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
        cwd: p.dir,
        stdio: 'ignore',
      });
    git('checkout', '-qb', 'feature');
    writeFileSync(join(p.dir, 'leak.js'), `export const token = "${key}";\n`);
    git('add', 'leak.js');
    git('commit', '-qm', 'leak');
    git('checkout', '-q', 'main');
    expect((await check(p)).gates[0]).toMatchObject({ status: 'failed', cached: false });
  });
});

describe('gates that read live state', () => {
  it('reruns a command gate without inputs every time, and replays one that declares its inputs', async () => {
    const p = project(
      `name: t\nservices:\n  api: { kind: web }\ngates:\n  - { id: live, run: "${COUNT}" }\n`,
    );
    const first = await check(p);
    const second = await check(p);
    expect([first.gates[0]!.cached, second.gates[0]!.cached]).toEqual([false, false]);
    expect(runs(p)).toBe(2);

    p.config.gates[0]!.inputs = ['opsbook.yaml'];
    await check(p);
    expect((await check(p)).gates[0]!.cached).toBe(true);
    expect(runs(p)).toBe(3);
  });

  it('caches a command gate without inputs when the config says cache: true, on the tree', async () => {
    const p = project(
      `name: t\nservices:\n  api: { kind: web }\ngates:\n  - { id: c, run: "${COUNT}", cache: true }\n`,
      { 'app.js': 'v1' },
    );
    await check(p);
    expect((await check(p)).gates[0]!.cached).toBe(true);
    writeFileSync(join(p.dir, 'app.js'), 'v2');
    expect((await check(p)).gates[0]!.cached).toBe(false);
    expect(runs(p)).toBe(2);
  });

  it('never caches a command gate with cache: false, even with inputs', async () => {
    const p = project(
      `name: t\nservices:\n  api: { kind: web }\ngates:\n  - { id: c, run: "${COUNT}", inputs: [opsbook.yaml], cache: false }\n`,
    );
    await check(p);
    await check(p);
    expect(runs(p)).toBe(2);
  });

  it('asks a confirmation again on every run unless the config says cache: true', async () => {
    const p = project(
      `name: t\nservices:\n  api: { kind: web }\ngates:\n  - { id: review, confirm: Reviewed? }\n`,
    );
    expect((await check(p, {}, { confirm: ['review'] })).passed).toBe(true);
    const again = await check(p);
    expect(again.gates[0]).toMatchObject({ status: 'failed', cached: false });

    p.config.gates[0]!.cache = true;
    expect((await check(p, {}, { confirm: ['review'] })).passed).toBe(true);
    const replayed = await check(p);
    expect(replayed.gates[0]).toMatchObject({ status: 'passed', cached: true });
    expect(replayed.gates[0]!.cachedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('does not replay the git gate after a branch switch with the same content', async () => {
    const p = project(`name: t\nservices:\n  api: { kind: web }\ngates:\n  - { id: git, builtin: git }\n`);
    expect((await check(p)).gates[0]!.status).toBe('passed');
    execFileSync('git', ['checkout', '-qb', 'feature'], { cwd: p.dir });
    const r = await check(p);
    expect(r.gates[0]).toMatchObject({ status: 'failed', cached: false });
  });

  it('does not cache the env gate reading each platform (from: provider) unless cache: true', async () => {
    const { cachePolicy } = await import('./cache-policy.js');
    const p = project(
      `name: t\nservices:\n  api: { kind: web }\ngates:\n  - { id: env, builtin: env, options: { from: provider } }\n`,
    );
    const ctx = {
      cwd: p.dir,
      config: p.config,
      environment: 'production',
      env: {},
      redactor: createRedactor(),
    };
    const live = await cachePolicy(p.config.gates[0]!, ctx);
    expect(live).toMatchObject({ cache: false });
    if (!live.cache) expect(live.reason).toContain('platform');
    p.config.gates[0]!.cache = true;
    expect(await cachePolicy(p.config.gates[0]!, ctx)).toMatchObject({ cache: true });
  });

  it('reruns a gate whose declared inputs are git-ignored build output once that output changes', async () => {
    const p = project(
      `name: t\nservices:\n  api: { kind: web }\ngates:\n  - { id: size, run: "${COUNT}", inputs: ["dist/**"] }\n`,
    );
    writeFileSync(join(p.dir, '.gitignore'), '.opsbook/\ndist/\n');
    mkdirSync(join(p.dir, 'dist'));
    writeFileSync(join(p.dir, 'dist', 'app.js'), 'v1');
    await check(p);
    expect((await check(p)).gates[0]!.cached).toBe(true);
    writeFileSync(join(p.dir, 'dist', 'app.js'), 'v2, twice the size');
    expect((await check(p)).gates[0]!.cached).toBe(false);
    expect(runs(p)).toBe(2);
  });

  it('never replays a gate whose declared inputs match no file, and says why', async () => {
    const p = project(
      `name: t\nservices:\n  api: { kind: web }\ngates:\n  - { id: t, run: "true", cwd: packages/api, inputs: ["src/**"] }\n`,
    );
    mkdirSync(join(p.dir, 'packages', 'api', 'src'), { recursive: true });
    await check(p);
    const second = await check(p);
    expect(second.gates[0]).toMatchObject({ status: 'passed', cached: false });
    expect(second.gates[0]!.diagnostics).toEqual([
      expect.objectContaining({
        code: 'gate/inputs-match-nothing',
        severity: 'warning',
        hint: expect.stringContaining('packages/api/src/**'),
        location: { path: 'gates[0].inputs' },
      }),
    ]);
  });

  it('replays nothing with noCache', async () => {
    const p = project(
      `name: t\nservices:\n  api: { kind: web }\ngates:\n  - { id: c, run: "${COUNT}", cache: true }\n`,
    );
    await check(p);
    const r = await check(p, {}, { noCache: true });
    expect(r.gates[0]!.cached).toBe(false);
    expect(runs(p)).toBe(2);
  });
});
