import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeRender, startFakeRender } from '../fakes/render/fake-render.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist', 'main.js');

const CONFIG = `
name: shop
environments:
  production: {}
services:
  api:
    kind: web
    provider: { type: render, serviceId: srv-shop0001 }
    env:
      JWT_SECRET: { secret: true, minLength: 32 }
      DATABASE_URL: { secret: true, url: true }
      LOG_LEVEL: { enum: [DEBUG, INFO] }
      RESEND_API_KEY: { secret: true }
  worker:
    kind: worker
    provider: { type: local, command: node worker.js }
    env:
      QUEUE_URL: { url: true }
`;

const TOKEN = 'rnd_Tq8Vx2Lm9Zp4Wc7Ny3Kb6Hd1Fs5Gj0'; // gitleaks:allow (a fake token for this test)
const WRONG_TOKEN = 'rnd_wrong_Zq4Xv8Lm2Wp6'; // gitleaks:allow (a fake token for this test)
const VALUES = {
  JWT_SECRET: 'Jw7Qx2Lm9Zp4Wc', // too short
  DATABASE_URL: 'postgres://app:Pz8Kq3Wn6Vb1Xr5T@db-7f3.shopdemo.io:5432/shop', // gitleaks:allow (fake)
  LOG_LEVEL: 'verbose',
  OLD_API_TOKEN: 'tok_Hq2Zt8Vw4Nc6Xb0Lm3Kp9Rs5Jd7Fg', // gitleaks:allow (a fake token for this test)
};
const SECRETS = [TOKEN, ...Object.values(VALUES), 'Pz8Kq3Wn6Vb1Xr5T'];

/** Runs the built CLI without blocking this process, which serves the fake Render the CLI calls. */
function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the built CLI: env check --from provider against a loopback Render', () => {
  let render: FakeRender;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    if (!existsSync(cli)) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
    render = await startFakeRender({ token: TOKEN, serviceId: 'srv-shop0001' });
    for (const [key, value] of Object.entries(VALUES)) render.envVars.set(key, value);
    dir = await mkdtemp(join(tmpdir(), 'opsbook-e2e-env-'));
    await writeFile(join(dir, 'opsbook.yaml'), CONFIG);
    const { RENDER_API_KEY: _, ...inherited } = process.env;
    env = { ...inherited, NO_COLOR: '1', OPSBOOK_RENDER_API_URL: render.url, RENDER_API_KEY: TOKEN };
  });
  afterAll(async () => {
    await render?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reads the values from the platform, reports the contract violations and shows no secret', async () => {
    const run = await runCli(['env', 'check', '--from', 'provider', '--plain'], dir, env);
    const text = run.stdout + run.stderr;
    expect(run.code).toBe(1);
    expect(render.requests.some((r) => r.path === '/v1/services/srv-shop0001/env-vars')).toBe(true);
    expect(text).toContain("from each service's platform");
    expect(text).toMatch(/JWT_SECRET \(api\) is 14 characters; the contract requires at least 32/);
    expect(text).toMatch(/LOG_LEVEL \(api\) is not one of DEBUG, INFO/);
    expect(text).toMatch(/RESEND_API_KEY \(api\) is required in production but not set/);
    expect(text).toContain(
      'worker was not checked against a platform: the local provider cannot read env vars',
    );
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  });

  it('gives the same diagnostics in the json envelope, without any value or the token', async () => {
    const run = await runCli(['env', 'check', '--from', 'provider', '--json'], dir, env);
    const report = JSON.parse(run.stdout) as {
      ok: boolean;
      diagnostics: { code: string; location?: { path?: string } }[];
    };
    expect(report.ok).toBe(false);
    expect(report.diagnostics.map((d) => `${d.code} ${d.location?.path}`).sort()).toEqual(
      [
        'env/not-in-enum services.api.env.LOG_LEVEL',
        'env/missing services.api.env.RESEND_API_KEY',
        'env/not-checked services.worker.provider',
        'env/too-short services.api.env.JWT_SECRET',
      ].sort(),
    );
    for (const secret of SECRETS) expect(run.stdout + run.stderr).not.toContain(secret);
  });

  it('turns a rejected token into a diagnostic naming the service and platform', async () => {
    const run = await runCli(['env', 'check', '--from', 'provider', '--plain'], dir, {
      ...env,
      RENDER_API_KEY: WRONG_TOKEN,
    });
    const text = run.stdout + run.stderr;
    expect(run.code).toBe(1);
    expect(text).toMatch(/could not read the env vars of api from Render: .*401/);
    expect(text).not.toContain(WRONG_TOKEN);
    expect(text).not.toMatch(/at .*\.js:\d+/);
  });
});
