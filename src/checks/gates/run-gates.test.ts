import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateConfigText } from '../../config/validate.js';
import { createRedactor } from '../../redact/index.js';
import { openStore } from '../../store/index.js';
import { checkConfirmed, runChecks } from './run-gates.js';

function project(gatesYaml: string, files: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'opsbook-gates-'));
  const yaml = `name: t\nservices:\n  api: { kind: web }\ngates:\n${gatesYaml}`;
  writeFileSync(join(dir, 'opsbook.yaml'), yaml);
  writeFileSync(join(dir, '.gitignore'), '.opsbook/\n');
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'add', '-A');
  git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'init');
  const { config, diagnostics } = validateConfigText(yaml, 'opsbook.yaml');
  if (!config) throw new Error(JSON.stringify(diagnostics));
  return { dir, config };
}

async function check(p: ReturnType<typeof project>, extra: Partial<Parameters<typeof runChecks>[0]> = {}) {
  const redactor = createRedactor();
  const store = await openStore({ cwd: p.dir, env: {}, redactor });
  try {
    return await runChecks({
      cwd: p.dir,
      config: p.config,
      environment: 'production',
      env: process.env,
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

describe('runChecks', () => {
  it('runs command gates in parallel: each waits for the other to have started', async () => {
    const wait = (me: string, other: string) =>
      `touch ${me}.started; for i in $(seq 1 100); do [ -f ${other}.started ] && exit 0; sleep 0.05; done; exit 1`;
    const p = project(`  - { id: a, run: "${wait('a', 'b')}" }\n  - { id: b, run: "${wait('b', 'a')}" }\n`);
    const r = await check(p, { concurrency: 2 });
    expect(r.gates.map((g) => g.status)).toEqual(['passed', 'passed']);
  });

  it('fails the run on a failing required gate and keeps its output tail and log', async () => {
    const p = project(
      `  - { id: tests, name: All tests pass, run: "echo running suite; echo 'FAIL: planted' >&2; exit 3" }\n`,
    );
    const r = await check(p);
    expect(r.passed).toBe(false);
    const g = r.gates[0]!;
    expect(g.summary).toContain('exited 3');
    expect(g.tail).toContain('FAIL: planted');
    expect(readFileSync(g.logFile!, 'utf8')).toContain('running suite');
  });

  it('stops a gate at its timeout with everything it started, SIGKILL for what ignores SIGTERM', {
    timeout: 20_000,
  }, async () => {
    const p = project(
      `  - { id: hangs, run: "trap '' TERM; sleep 60 & echo $! > child.pid; echo waiting; wait", timeout: 1s }\n`,
    );
    const r = await check(p);
    const g = r.gates[0]!;
    expect([r.passed, g.status, g.summary, g.tail]).toEqual([
      false,
      'failed',
      'timed out after 1s',
      'waiting',
    ]);
    const pid = Number(readFileSync(join(p.dir, 'child.pid'), 'utf8'));
    // Gone, or a zombie waiting for init to reap it.
    const state = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
    expect(state).not.toMatch(/^\d+ \(.*\) [RS]/);
  });

  it('does not block on a failing optional gate', async () => {
    const p = project(`  - { id: audit, run: "exit 1", required: false }\n  - { id: ok, run: "true" }\n`);
    const r = await check(p);
    expect(r.passed).toBe(true);
    expect(r.gates[0]!.status).toBe('failed');
  });

  it('replays a passed gate from cache on an unchanged tree, and reruns when an input changes', async () => {
    const p = project(`  - { id: count, run: "echo x >> ../runs-$(basename $PWD).txt", cache: true }\n`, {
      'app.js': 'v1',
    });
    const counter = join(p.dir, '..', `runs-${p.dir.split('/').pop()}.txt`);
    const first = await check(p);
    const second = await check(p);
    expect(first.gates[0]!.cached).toBe(false);
    expect(second.gates[0]!.cached).toBe(true);
    expect(readFileSync(counter, 'utf8').trim().split('\n')).toHaveLength(1);
    writeFileSync(join(p.dir, 'app.js'), 'v2');
    const third = await check(p);
    expect(third.gates[0]!.cached).toBe(false);
    await check(p, { noCache: true });
    expect(readFileSync(counter, 'utf8').trim().split('\n')).toHaveLength(3);
  });

  it('never caches a failure', async () => {
    const p = project(`  - { id: flaky, run: "test -f ok" }\n`);
    expect((await check(p)).passed).toBe(false);
    writeFileSync(join(p.dir, '..', 'unrelated'), '');
    const again = await check(p);
    expect(again.gates[0]!.cached).toBe(false);
  });

  it('takes confirmations from --confirm when nobody can answer, and records who', async () => {
    const p = project(`  - { id: review, confirm: Code reviewed and approved }\n`);
    const unconfirmed = await check(p);
    expect(unconfirmed.passed).toBe(false);
    expect(unconfirmed.gates[0]!.summary).toContain('--confirm review');
    const confirmed = await check(p, { confirm: ['review'] });
    expect(confirmed.passed).toBe(true);
    expect(confirmed.gates[0]!.evidence).toMatchObject({ by: 'tester', via: 'flag' });
    const asked = await check(p, { ask: async () => false });
    expect(asked.gates[0]!.status).toBe('failed');
  });

  it('records the run and one step per gate in the store', async () => {
    const p = project(`  - { id: a, run: "true" }\n  - { id: b, run: "false" }\n`);
    const r = await check(p);
    const redactor = createRedactor();
    const store = await openStore({ cwd: p.dir, env: {}, redactor });
    try {
      const run = await store.getRun(r.runId!);
      expect(run).toMatchObject({
        kind: 'check',
        status: 'failed',
        environment: 'production',
        actor: 'tester',
      });
      expect((await store.listSteps(r.runId!)).map((s) => [s.name, s.status])).toEqual([
        ['a', 'succeeded'],
        ['b', 'failed'],
      ]);
    } finally {
      await store.close();
    }
  });

  it('masks secrets in gate output and logs', async () => {
    const p = project(`  - { id: leak, run: "echo token=$PLANTED_TOKEN; exit 1" }\n`);
    const redactor = createRedactor(['tok_0123456789abcdef']);
    const store = await openStore({ cwd: p.dir, env: {}, redactor });
    const r = await runChecks({
      cwd: p.dir,
      config: p.config,
      environment: 'production',
      env: { ...process.env, PLANTED_TOKEN: 'tok_0123456789abcdef' },
      signal: new AbortController().signal,
      redactor,
      actor: 't',
      store,
    });
    await store.close();
    expect(r.gates[0]!.tail).toContain('[REDACTED]');
    expect(readFileSync(r.gates[0]!.logFile!, 'utf8')).not.toContain('tok_0123456789abcdef');
  });

  it('secrets gate: fails when it scanned no file, instead of passing on "no secrets in 0 file(s)"', async () => {
    const p = project(`  - { id: keys, builtin: secrets, options: { path: assets } }\n`);
    mkdirSync(join(p.dir, 'assets'));
    writeFileSync(join(p.dir, 'assets', 'logo.png'), Buffer.from([137, 80, 78, 71, 0, 0]));
    const g = (await check(p)).gates[0]!;
    expect([g.status, g.summary]).toEqual([
      'failed',
      'no file was scanned in assets: all 1 file(s) there were skipped (binary, too large or unreadable)',
    ]);
  });

  it('git gate: fails on a dirty tree and on the wrong branch', async () => {
    const p = project(`  - { id: git, builtin: git }\n`);
    expect((await check(p)).gates[0]!.status).toBe('passed');
    writeFileSync(join(p.dir, 'new.txt'), 'x');
    const dirty = await check(p);
    expect(dirty.gates[0]!.summary).toContain('uncommitted change(s), e.g. new.txt');
    writeFileSync(join(p.dir, '.gitignore'), '.opsbook/\nnode_modules/\n');
    rmSync(join(p.dir, 'new.txt'));
    // The first entry is ` M .gitignore`: its leading space belongs to the status, not to the name.
    expect((await check(p)).gates[0]!.summary).toContain('1 uncommitted change(s), e.g. .gitignore');
    execFileSync('git', ['checkout', '-qb', 'feature'], { cwd: p.dir });
    expect((await check(p)).gates[0]!.summary).toContain("on branch 'feature'");
  });

  it('lockfile gate: finds a dependency missing from package-lock.json', async () => {
    const pkg = JSON.stringify({ dependencies: { zod: '^4.0.0', yaml: '^2.0.0' } });
    const lock = JSON.stringify({
      lockfileVersion: 3,
      packages: { '': { dependencies: { zod: '^4.0.0' } } },
    });
    const p = project(`  - { id: lock, builtin: lockfile }\n`, {
      'package.json': pkg,
      'package-lock.json': lock,
    });
    const r = await check(p);
    expect(r.gates[0]!.status).toBe('failed');
    expect(r.gates[0]!.summary).toContain('yaml@^2.0.0 is in package.json but not in package-lock.json');
    expect(existsSync(join(p.dir, 'node_modules'))).toBe(false);
  });

  it('lockfile gate: compares requirements.txt pins with the frozen lock', async () => {
    const p = project(`  - { id: lock, builtin: lockfile }\n`, {
      'requirements.txt': 'fastapi==0.110.0\nuvicorn==0.29.0\n',
      'requirements.txt.lock': 'fastapi==0.110.0\nuvicorn==0.30.1\nstarlette==0.36.3\n',
    });
    const r = await check(p);
    expect(r.gates[0]!.summary).toContain('uvicorn is 0.29.0 in requirements.txt but 0.30.1');
  });

  it('lockfile gate: checks the folder its cwd names (a package of a monorepo)', async () => {
    const p = project(`  - { id: lock, builtin: lockfile, cwd: web }\n`);
    mkdirSync(join(p.dir, 'web'));
    writeFileSync(join(p.dir, 'web', 'package.json'), JSON.stringify({ dependencies: { zod: '^4.0.0' } }));
    const r = await check(p);
    expect(r.gates[0]).toMatchObject({ status: 'failed' });
    expect(r.gates[0]!.summary).toContain('web: package.json has dependencies but no lock file');
  });

  it('lockfile gate: fails when it finds no manifest to check, rather than passing on nothing', async () => {
    const p = project(`  - { id: lock, builtin: lockfile, cwd: website }\n`);
    mkdirSync(join(p.dir, 'website'));
    const r = await check(p);
    expect(r.passed).toBe(false);
    expect(r.gates[0]).toMatchObject({
      status: 'failed',
      summary: 'nothing to check: no package.json or requirements.txt in website',
    });
  });

  it('masks a secret in the log and the tail even when the command prints it in two pieces', async () => {
    const secret = 'Qx7vLr2Kp9Wm4Nt6Bc8Hs3Jd5Mf1Gy0'; // gitleaks:allow (a test value)
    const p = project(
      `  - { id: leak, run: "printf 'token=${secret.slice(0, 12)}'; sleep 0.3; printf '${secret.slice(12)} done\\\\n'; exit 1" }\n`,
    );
    const r = await check(p, { redactor: createRedactor([secret]) });
    const log = readFileSync(r.gates[0]!.logFile!, 'utf8');
    expect(log).toBe('token=[REDACTED] done\n');
    expect(r.gates[0]!.tail).toBe('token=[REDACTED] done');
  });

  it('lockfile gate: fails on a manifest or lock that does not parse, naming it, rather than crashing', async () => {
    const p = project(`  - { id: lock, builtin: lockfile }\n`, {
      'package.json': JSON.stringify({ dependencies: { zod: '^4.0.0' } }),
      'package-lock.json': '',
    });
    const r = await check(p);
    expect(r.gates[0]).toMatchObject({ status: 'failed' });
    expect(r.gates[0]!.summary).toContain('./package-lock.json cannot be read: Unexpected end of JSON input');
    writeFileSync(join(p.dir, 'package.json'), '[]');
    expect((await check(p)).gates[0]!.summary).toContain('./package.json cannot be read: it holds no object');
  });

  it('secrets gate: passes but warns about a text file too large to scan, rather than implying it was read', async () => {
    const p = project(`  - { id: secrets, builtin: secrets }\n`, {
      'app.js': 'export const ok = 1;\n',
      'dump.sql': `${'insert into t values (1);\n'.repeat(260_000)}`,
    });
    const r = await check(p);
    expect(r.gates[0]).toMatchObject({ status: 'passed' });
    expect(r.gates[0]!.summary).toContain('1 text file(s) not read');
    expect(r.gates[0]!.diagnostics).toEqual([
      expect.objectContaining({
        code: 'secrets/not-scanned',
        severity: 'warning',
        location: { file: 'dump.sql' },
      }),
    ]);
  });

  it("says a command gate's cwd is missing, instead of blaming the shell", async () => {
    const r = await check(project(`  - { id: t, run: "true", cwd: packages/nowhere }\n`));
    expect(r.gates[0]).toMatchObject({
      status: 'failed',
      summary:
        "could not start: its cwd 'packages/nowhere' is not a folder (paths are from the folder opsbook runs in)",
    });
  });

  it('migrations gate: fails when the config has no migrations section, rather than passing on nothing', async () => {
    const r = await check(project(`  - { id: m, builtin: migrations }\n`));
    expect(r.passed).toBe(false);
    expect(r.gates[0]).toMatchObject({
      status: 'failed',
      summary: 'nothing to check: the config has no migrations section',
    });
  });

  it('rejects a --confirm that names no confirmation gate, with a suggestion', async () => {
    const p = project(`  - { id: reviewed, confirm: "Reviewed?" }\n  - { id: tests, run: "true" }\n`);
    expect(() => checkConfirmed(p.config, ['reviwed'])).toThrow(
      expect.objectContaining({
        message: "--confirm reviwed: there is no gate 'reviwed'",
        hint: "did you mean 'reviewed'?",
      }),
    );
    expect(() => checkConfirmed(p.config, ['tests'])).toThrow("gate 'tests' is not a confirmation");
    expect(() => checkConfirmed(p.config, ['reviewed'])).not.toThrow();
    expect((await check(p, { confirm: ['reviewed'] })).passed).toBe(true);
    // What `opsbook check --confirm` runs.
    const { check: checkUseCase } = await import('../../app/check.js');
    await expect(checkUseCase({ cwd: p.dir, env: {}, confirmed: ['reviwed'] })).rejects.toThrow(
      "--confirm reviwed: there is no gate 'reviwed'",
    );
  });

  it('rejects an unknown --only gate with a suggestion', async () => {
    const p = project(`  - { id: tests, run: "true" }\n`);
    await expect(check(p, { only: ['tset'] })).rejects.toThrow("unknown gate 'tset'");
  });
});
