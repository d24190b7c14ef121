/**
 * Nothing opsbook writes holds a secret: the demo's story (validate, status, check twice so the gates replay
 * from cache, deploy v1, a v2 that crashes printing its secrets and is rolled back, log, status, health, env,
 * unlock, serve) with secret-looking values in contract and non-contract variables, then every byte of stdout,
 * stderr, --json, .opsbook/ (SQLite file, WAL, logs), the served HTML, API and /metrics, and the webhook and
 * SMTP payloads is searched for each value.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFaker } from '../support/checks/secrets/fake-keys.js';
import { createDemoStack, repoRoot } from '../support/demo-stack.js';
import {
  type HttpReceiver,
  type SmtpReceiver,
  startHttpReceiver,
  startSmtpReceiver,
} from '../support/notify/receivers.js';

const cli = join(repoRoot, 'dist', 'main.js');
const f = createFaker(41);
// Built at run time: no key-shaped literal in the repository.
const SECRETS = {
  /** Not in the contract; found by its name. */
  stripe: `${'sk_'}live_${f.b62(24)}`,
  /** In the contract (secret: true). */
  nextauth: f.b62(32),
  /** Not in the contract, under a harmless name; found by its shape. */
  shaped: `${'ghp_'}${f.b62(36)}`,
  /** The password inside a connection URL of a variable nobody marked. */
  cachePassword: `pw-${f.b62(18)}`,
};
const ENV = {
  STRIPE_SECRET_KEY: SECRETS.stripe,
  NEXTAUTH_SECRET: SECRETS.nextauth,
  BUILD_NOTE: SECRETS.shaped,
  CACHE_URL: `redis://:${SECRETS.cachePassword}@127.0.0.1:1/0`,
};
const PRINT_SECRETS =
  "[process.env.STRIPE_SECRET_KEY, process.env.NEXTAUTH_SECRET, process.env.BUILD_NOTE, process.env.CACHE_URL].join(' ')";

let dir = '';
let hook: HttpReceiver;
let smtp: SmtpReceiver;
/** Everything opsbook printed or served, in one place to search. */
const written: { what: string; text: string }[] = [];

/** Async, not spawnSync: the webhook and SMTP receivers live in this process and must answer meanwhile. */
async function opsbook(args: string[], expected?: number) {
  const child = spawn(process.execPath, [cli, ...args], {
    cwd: dir,
    env: { ...process.env, ...ENV, NO_COLOR: '1', OPSBOOK_ACTOR: 'e2e <e2e@example.com>' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  written.push({ what: `opsbook ${args.join(' ')} (stdout)`, text: stdout });
  written.push({ what: `opsbook ${args.join(' ')} (stderr)`, text: stderr });
  if (expected !== undefined) expect(status, `opsbook ${args.join(' ')}:\n${stderr}`).toBe(expected);
  return { status, stdout, stderr };
}

function filesUnder(root: string): string[] {
  return readdirSync(root, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

async function served(): Promise<void> {
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0'], {
    cwd: dir,
    env: { ...process.env, ...ENV, NO_COLOR: '1' },
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${err}`)), 30_000);
    child.stdout.on('data', (d) => {
      out += d;
      const found = /at (http:\/\/\S+)/.exec(out)?.[1];
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    });
  });
  for (const path of ['/status', '/api/v1/status', '/api/v1/deploys', '/api/v1/alerts', '/metrics']) {
    const response = await fetch(`${url}${path}`);
    written.push({ what: `GET ${path}`, text: await response.text() });
  }
  child.kill('SIGTERM');
  await new Promise((r) => child.on('close', r));
  written.push({ what: 'opsbook serve (stdout)', text: out }, { what: 'opsbook serve (stderr)', text: err });
}

describe('no secret in anything opsbook writes', () => {
  beforeAll(async () => {
    hook = await startHttpReceiver();
    smtp = await startSmtpReceiver();
    ({ dir } = await createDemoStack((yaml) =>
      yaml
        .replace(/bake: 10s\n(\s+)interval: 2s/, 'bake: 4s\n$1interval: 1s')
        .replace(
          '    env:\n      PORT:',
          '    env:\n      NEXTAUTH_SECRET:\n        secret: true\n        required: false\n      PORT:',
        )
        .replace(
          'gates:\n',
          'gates:\n  - { id: leaky, name: A gate that prints its environment, run: node leaky-gate.mjs, cache: true }\n',
        )
        .replace('  channels: [console]\n  on:', '  channels: [console, hook, mail]\n  on:')
        .replace(
          'channels:\n  console:\n    type: console\n',
          `channels:\n  console:\n    type: console\n  hook:\n    type: webhook\n    url: ${hook.url}/hook\n  mail:\n    type: email\n    to: [ops@example.com]\n    from: opsbook@example.com\n    smtp: { host: 127.0.0.1, port: ${smtp.port} }\n`,
        ),
    ));
    writeFileSync(join(dir, 'leaky-gate.mjs'), `console.log('gate sees', ${PRINT_SECRETS});\n`);
    const server = join(dir, 'api', 'server.mjs');
    const source = readFileSync(server, 'utf8');
    // Every release prints its secrets at boot; v2 then crashes with them in the message.
    writeFileSync(
      server,
      `console.log('boot with', ${PRINT_SECRETS});
if (process.env.APP_VERSION === 'v2') {
  console.error('fatal: cannot start with', ${PRINT_SECRETS});
  process.exit(1);
}
${source}`,
    );
    spawnSync('git', ['-c', 'user.email=e@example.com', '-c', 'user.name=e', 'commit', '-qam', 'leaky'], {
      cwd: dir,
    });
  }, 60_000);

  afterAll(async () => {
    const { stopLocalRuntime } = await import(
      pathToFileURL(join(repoRoot, 'dist', 'providers', 'index.js')).href
    );
    await stopLocalRuntime(dir).catch(() => undefined);
    await hook?.close();
    await smtp?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('after the demo and a crashing deploy, zero hits in output, .opsbook/, pages, metrics and notifications', async () => {
    await opsbook(['validate'], 0);
    await opsbook(['status']);
    await opsbook(['check', '--markdown', '.opsbook/checklist.md']);
    const replay = await opsbook(['check', '--json']);
    expect(JSON.parse(replay.stdout).data.gates[0]).toMatchObject({ id: 'leaky', cached: true });
    await opsbook(['deploy', '--yes', '--version', 'v1'], 0);
    await opsbook(['deploy', '--yes', '--version', 'v2', '--json'], 1);
    await opsbook(['log', '--full']);
    await opsbook(['log', '--json']);
    await opsbook(['status', '--json']);
    await opsbook(['health', '--json']);
    await opsbook(['env', 'check', '--json']);
    await opsbook(['unlock', '--yes']);
    await served();

    for (const file of filesUnder(join(dir, '.opsbook')))
      written.push({ what: file.slice(dir.length + 1), text: readFileSync(file).toString('latin1') });
    for (const r of hook.received) written.push({ what: `webhook ${r.path}`, text: r.body });
    for (const m of smtp.mails) written.push({ what: `mail ${m.subject}`, text: `${m.subject}\n${m.body}` });

    // The run really went through the leaky places, so zero hits means masked, not absent.
    const all = written.map((w) => w.text).join('\n');
    expect(all).toContain('gate sees');
    expect(all).toContain('boot with');
    expect(all).toContain('[REDACTED]');
    expect(hook.received.length).toBeGreaterThan(0);
    expect(smtp.mails.length).toBeGreaterThan(0);
    expect(written.some((w) => w.what.endsWith('.log'))).toBe(true);
    expect(written.some((w) => /\.(sqlite|db)$/.test(w.what))).toBe(true);

    // The public listener names no deployer either.
    const pages = written.filter((w) => w.what.startsWith('GET '));
    expect(pages.map((w) => w.text).join('\n')).not.toContain('e2e@example.com');

    const hits = written.flatMap(({ what, text }) =>
      Object.entries(SECRETS)
        .filter(([, value]) => text.includes(value))
        .map(([name]) => `${name} in ${what}`),
    );
    expect(hits).toEqual([]);
  }, 300_000);
});
