/**
 * The SIGKILL matrix (test/e2e/crash-matrix-*.test.ts, one file per provider so they run side by side): a passing and a failing deploy, on the local and the command provider, killed at every
 * durable point of the journal (OPSBOOK_CRASH_AT), then resumed with `deploy --resume`. Every trial must end
 * with the right release live, the right verdict recorded and the lock in the right state.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'vitest';
import { freePort, repoRoot } from './demo-stack.js';

const cli = join(repoRoot, 'dist', 'main.js');
const dist = (path: string) => import(pathToFileURL(join(repoRoot, 'dist', path)).href);

const PASSING = [
  'phase:locked',
  'before:deploy:app',
  'after:deploy:app',
  'after:watch:app',
  'phase:deployed',
  'phase:verified',
  'released',
];
const FAILING = [
  'phase:locked',
  'before:deploy:app',
  'after:deploy:app',
  'after:watch:app',
  'phase:deployed',
  'phase:rolling-back',
  'before:rollback:app',
  'after:rollback:app',
  'restored',
];

/** A release whose label starts with `bad` fails its deep health; readiness passes, so it does go live. */
const SERVER = `import { createServer } from 'node:http';
const bad = (process.env.APP_VERSION ?? '').startsWith('bad');
createServer((req, res) => {
  const code = req.url === '/deep' && bad ? 503 : 200;
  res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify({ status: code === 200 ? 'ok' : 'broken' }));
}).listen(Number(process.env.PORT), '127.0.0.1');
`;

const VERIFY = `deploy:
  timeout: 1m
  verify: { bake: 1s, interval: 500ms, failureLimit: 0 }
  rollback: { automatic: true, on: [deploy-failed, health-failed], lockAfter: true }
`;

function stackYaml(provider: string, port: number): string {
  return `name: crash
environments: { production: {} }
services:
  app:
    kind: web
    provider: ${provider}
    urls: { production: "http://127.0.0.1:${port}" }
    health:
      - { type: readiness, path: /ready }
      - { type: deep, path: /deep }
${VERIFY}`;
}

export interface Stack {
  dir: string;
  /** The release label that serves now. */
  live(): Promise<string | undefined>;
  close(): Promise<void>;
}

export async function localStack(): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), 'opsbook-crash-local-'));
  const port = await freePort();
  writeFileSync(join(dir, 'server.mjs'), SERVER);
  writeFileSync(
    join(dir, 'opsbook.yaml'),
    stackYaml(`{ type: local, command: node server.mjs, port: ${port} }`, port),
  );
  const { createProvider, createProviderContext, stopLocalRuntime } = await dist('providers/index.js');
  const { loadConfig, resolveEnvironment } = await dist('config/index.js');
  return {
    dir,
    async live() {
      const { config } = await loadConfig({ cwd: dir });
      const app = resolveEnvironment(config, 'production')[0];
      const deploys = await createProvider(app, { cwd: dir }).listDeploys(
        createProviderContext({ cwd: dir }),
      );
      return deploys.find((d: { state: string }) => d.state === 'live')?.version;
    },
    async close() {
      await stopLocalRuntime(dir).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The command provider against a "platform" that is a file: `current` holds the label that serves. */
export async function commandStack(): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), 'opsbook-crash-command-'));
  const port = await freePort();
  const current = () => {
    try {
      return readFileSync(join(dir, 'current'), 'utf8').trim();
    } catch {
      return undefined;
    }
  };
  const server: Server = createServer((req, res) => {
    const code = req.url === '/deep' && current()?.startsWith('bad') ? 503 : 200;
    res.writeHead(code).end(code === 200 ? 'ok' : 'broken');
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  const provider = `
      type: command
      deploy: echo "$OPSBOOK_VERSION" > current && echo live > "state-$OPSBOOK_DEPLOY_ID"
      status: cat "state-$OPSBOOK_DEPLOY_ID" 2>/dev/null || echo building
      rollback: echo "$OPSBOOK_ROLLBACK_VERSION" > current`;
  writeFileSync(join(dir, 'opsbook.yaml'), stackYaml(provider, port));
  return {
    dir,
    live: async () => current(),
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function opsbook(dir: string, args: string[], extraEnv: Record<string, string> = {}) {
  return new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      [cli, ...args],
      {
        cwd: dir,
        env: {
          ...process.env,
          NO_COLOR: '1',
          OPSBOOK_ACTOR: 'e2e',
          OPSBOOK_DEPLOY_POLL_MS: '100',
          ...extraEnv,
        },
      },
      (_error, _stdout, stderr) => resolve({ code: child.exitCode, signal: child.signalCode, stderr }),
    );
  });
}

async function lastRun(dir: string) {
  const { openStore } = await dist('store/index.js');
  const { createRedactor } = await dist('redact/index.js');
  const store = await openStore({ cwd: dir, env: {}, redactor: createRedactor() });
  try {
    const [run] = await store.listRuns({ kind: 'deploy', environment: 'production', limit: 1 });
    return {
      run,
      lock: await store.getLock('deploy:production'),
      release: async () => {
        const again = await openStore({ cwd: dir, env: {}, redactor: createRedactor() });
        await again.forceReleaseLock('deploy:production').finally(() => again.close());
      },
    };
  } finally {
    await store.close();
  }
}

/** Runs every trial; returns their labels. */
export async function matrix(stack: Stack) {
  const { dir } = stack;
  const first = await opsbook(dir, ['deploy', '--yes', '--version', 'good-0']);
  expect(first.code, first.stderr).toBe(0);
  let good = 'good-0';
  const trials: string[] = [];
  for (const [kind, points] of [
    ['good', PASSING],
    ['bad', FAILING],
  ] as const)
    for (const point of points) {
      const version = `${kind}-${trials.length + 1}`;
      const label = `${kind} deploy killed at ${point}`;
      const killed = await opsbook(dir, ['deploy', '--yes', '--version', version], {
        OPSBOOK_CRASH_AT: point,
      });
      expect(killed.signal, `${label}: ${killed.stderr}`).toBe('SIGKILL');
      const resumed = await opsbook(dir, ['deploy', '--resume', '--yes']);
      const { run, lock, release } = await lastRun(dir);
      if (kind === 'good') {
        expect(resumed.code, `${label}: ${resumed.stderr}`).toBe(0);
        expect(run.status, label).toBe('succeeded');
        expect(lock, label).toBeUndefined();
        expect(await stack.live(), label).toBe(version);
        good = version;
      } else {
        expect(resumed.code, `${label}: ${resumed.stderr}`).toBe(1);
        expect(run.status, label).toBe('rolled-back');
        expect(lock?.reason, label).toContain('rolled back');
        expect(await stack.live(), label).toBe(good);
        await release(); // what `opsbook unlock` does, without a process per trial
      }
      trials.push(label);
    }
  return trials;
}

export const TRIALS = PASSING.length + FAILING.length;
