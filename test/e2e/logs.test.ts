// `opsbook logs --follow` on the demo stack: the api's and the worker's lines arrive live, prefixed, in time order.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoStack, repoRoot } from '../support/demo-stack.js';
import { cli, runCli } from '../support/run-cli.js';

let dir = '';
let port = 0;
const env = { ...process.env, NO_COLOR: '1', OPSBOOK_ACTOR: 'e2e' };

describe('opsbook logs on the demo stack', () => {
  beforeAll(async () => {
    ({ dir, port } = await createDemoStack((y) =>
      y.replace(/bake: 10s\n(\s+)interval: 2s/, 'bake: 2s\n$1interval: 1s'),
    ));
    const deployed = await runCli(['deploy', '--yes', '--skip-gates', '--version', 'v1'], dir, env);
    if (deployed.code !== 0) throw new Error(`demo deploy failed:\n${deployed.stderr}`);
  }, 120_000);
  afterAll(async () => {
    const { stopLocalRuntime } = await import(
      pathToFileURL(join(repoRoot, 'dist', 'providers', 'index.js')).href
    );
    await stopLocalRuntime(dir).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('--follow interleaves new lines of the api and the worker as they happen', async () => {
    const child = spawn(process.execPath, [cli, 'logs', 'api', 'worker', '--follow', '--plain'], {
      cwd: dir,
      env,
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const waitFor = (re: RegExp, what: string) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`never saw ${what}:\n${stdout}\n${stderr}`)), 30_000);
        const check = () => {
          if (re.test(stdout)) {
            clearTimeout(timer);
            child.stdout.off('data', onData);
            resolve();
          }
        };
        const onData = (d: Buffer) => {
          stdout += d;
          check();
        };
        child.stdout.on('data', onData);
        check();
      });
    // The recent lines first: both started.
    await waitFor(/worker\s+\| INFO\s+demo worker started/, 'the worker start line');
    await waitFor(/api\s+\| INFO\s+demo api listening/, 'the api start line');
    const before = stdout.length;

    // A note posted now makes a request line in the api and an indexing line in the worker.
    const posted = await fetch(`http://127.0.0.1:${port}/api/notes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ body: 'logs follow e2e' }),
    });
    expect(posted.status).toBe(201);
    await waitFor(
      /api\s+\| INFO\s+request[\s\S]*worker\s+\| INFO\s+indexed notes|worker\s+\| INFO\s+indexed notes[\s\S]*api\s+\| INFO\s+request/,
      'both live lines',
    );
    const live = stdout.slice(before).split('\n').filter(Boolean);
    const times = live.map((l) => l.slice(0, 12));
    expect(times).toEqual([...times].sort());
    expect(live.some((l) => /^\S+ api\s+\| INFO\s+request/.test(l))).toBe(true);
    expect(live.some((l) => /^\S+ worker\s+\| INFO\s+indexed notes/.test(l))).toBe(true);

    child.kill('SIGINT');
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
  }, 60_000);

  it('prints the recent lines of one level as JSON', async () => {
    const run = await runCli(['logs', 'worker', '--level', 'info', '--json'], dir, env);
    expect(run.code, run.stderr).toBe(0);
    const { data } = JSON.parse(run.stdout) as { data: { entries: { service: string; level: string }[] } };
    expect(data.entries.length).toBeGreaterThan(0);
    expect(
      data.entries.every(
        (e) => e.service === 'worker' && ['info', 'warn', 'error', 'fatal'].includes(e.level),
      ),
    ).toBe(true);
  }, 30_000);
});
