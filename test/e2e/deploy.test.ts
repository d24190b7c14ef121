import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoStack, repoRoot } from '../support/demo-stack.js';

const cli = join(repoRoot, 'dist', 'main.js');
let dir = '';

function opsbook(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', OPSBOOK_ACTOR: 'e2e' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Whether any process of the group `pgid` is still there (a release runs as its own process group). */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The api's release records as the local runtime keeps them (pid while a release runs). */
function apiReleases(): { id: string; state: string; pid?: number; reason?: string }[] {
  const file = join(dir, '.opsbook', 'local', 'api', 'state.json');
  try {
    return JSON.parse(readFileSync(file, 'utf8')).releases;
  } catch {
    return []; // not written yet, or read mid-write: the next look sees it
  }
}

async function stopRuntime() {
  const { stopLocalRuntime } = await import(
    pathToFileURL(join(repoRoot, 'dist', 'providers', 'index.js')).href
  );
  await stopLocalRuntime(dir);
}

describe('opsbook deploy with the local provider, killed mid-run', () => {
  beforeAll(async () => {
    // Short bake so the test is quick; the gates are covered elsewhere.
    ({ dir } = await createDemoStack((y) =>
      y.replace(/bake: 10s\n(\s+)interval: 2s/, 'bake: 6s\n$1interval: 1s'),
    ));
  }, 60_000);
  afterAll(async () => {
    await stopRuntime().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('deploys v1, and a rerun after SIGKILL resumes without a second deploy or a stuck lock', async () => {
    expect(opsbook(['deploy', '--yes', '--skip-gates', '--version', 'v1']).code).toBe(0);

    // Kill the v2 deploy once verification has started: the release is live, the run is not finished.
    const child = spawn(process.execPath, [cli, 'deploy', '--yes', '--skip-gates', '--version', 'v2'], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1' },
    });
    await new Promise<void>((resolve, reject) => {
      let err = '';
      const timer = setTimeout(() => reject(new Error(`verification never started:\n${err}`)), 60_000);
      child.stderr.on('data', (d) => {
        err += d;
        if (err.includes('measurement 1/')) {
          clearTimeout(timer);
          child.kill('SIGKILL');
          resolve();
        }
      });
    });
    await new Promise((r) => child.on('close', r));

    const killed = JSON.parse(opsbook(['status', '--json']).stdout).data.deploy;
    expect(killed.lastRun.status).toBe('running');
    expect(killed.lock.processGone).toBe(true);
    expect(opsbook(['status']).stdout).toContain('stopped at');

    // A new deploy is refused while the killed run holds the lock, and says how to recover.
    const refused = opsbook(['deploy', '--yes', '--skip-gates', '--version', 'v3']);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain('--resume');

    const resumed = opsbook(['deploy', '--resume', '--yes']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).not.toContain('api: deploying');

    const after = JSON.parse(opsbook(['status', '--json']).stdout).data.deploy;
    expect(after.lock).toBeNull();
    expect(after.lastRun.status).toBe('succeeded');

    // One release per deploy on the platform: v1 and v2, never v2 twice.
    const log = JSON.parse(opsbook(['log', '--json']).stdout).data.entries;
    expect(log.map((e: { status: string }) => e.status)).toEqual(['succeeded', 'succeeded']);
    const { createProvider, createProviderContext } = await import(
      pathToFileURL(join(repoRoot, 'dist', 'providers', 'index.js')).href
    );
    const { loadConfig, resolveEnvironment } = await import(
      pathToFileURL(join(repoRoot, 'dist', 'config', 'index.js')).href
    );
    const { config } = await loadConfig({ cwd: dir });
    const api = resolveEnvironment(config, 'production').find((s: { name: string }) => s.name === 'api');
    const deploys = await createProvider(api, { cwd: dir }).listDeploys(createProviderContext({ cwd: dir }));
    const versions = deploys.map((d: { version?: string }) => d.version);
    expect(versions.filter((v: string | undefined) => v === 'v2')).toHaveLength(1);
    expect(deploys.find((d: { state: string }) => d.state === 'live')?.version).toBe('v2');
  }, 180_000);

  it('rolls a bad release back and stops it: its processes end, its record and log stay', async () => {
    const server = join(dir, 'api', 'server.mjs');
    writeFileSync(server, readFileSync(server, 'utf8').replace("FROM notes'", "FROM note'"));
    execFileSync(
      'git',
      ['-c', 'user.email=e2e@example.com', '-c', 'user.name=e2e', 'commit', '-qam', 'bad'],
      {
        cwd: dir,
      },
    );
    const before = new Set(apiReleases().map((r) => r.id));
    const child = spawn(
      process.execPath,
      [cli, 'deploy', '--yes', '--skip-gates', '--version', 'bad', '--json'],
      {
        cwd: dir,
        env: { ...process.env, NO_COLOR: '1', OPSBOOK_ACTOR: 'e2e' },
      },
    );
    let stdout = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    const exited = new Promise((r) => child.on('close', r));
    // The bad release's process group, read from the runtime's records while it runs.
    const pids = new Map<string, number>();
    let done = false;
    void exited.then(() => {
      done = true;
    });
    while (!done) {
      for (const r of apiReleases()) if (!before.has(r.id) && r.pid) pids.set(r.id, r.pid);
      await delay(20);
    }
    const result = JSON.parse(stdout).data;
    expect(result.status).toBe('rolled-back');
    const badId = result.state.services.api.deploy.id as string;
    expect(pids.get(badId)).toBeGreaterThan(0);
    // It drains, then stops (drained at once: nothing is in flight).
    const deadline = Date.now() + 30_000;
    while (groupAlive(pids.get(badId)!) && Date.now() < deadline) await delay(50);
    expect(groupAlive(pids.get(badId)!)).toBe(false);
    const bad = apiReleases().find((r) => r.id === badId);
    expect(bad).toMatchObject({ state: 'superseded', reason: expect.stringContaining('rolled back to') });
    expect(bad?.pid).toBeUndefined();
    expect(existsSync(join(dir, '.opsbook', 'local', 'api', 'releases', `${badId}.log`))).toBe(true);
  }, 180_000);
});
