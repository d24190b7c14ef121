import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveEnvironment } from '../../config/index.js';
import { stackSchema } from '../../config/schema.js';
import { ProviderError, UserError } from '../../errors.js';
import { createRedactor } from '../../redact/index.js';
import { createProviderContext } from '../context.js';
import { followDeploy } from '../follow-deploy.js';
import {
  describeProviderContract,
  type ProviderContractTarget,
  type ReleaseKind,
} from '../provider.contract.js';
import type { Provider, ProviderContext } from '../types.js';
import { createCommandProvider, parseStateWord } from './index.js';
import { recordsDir, updateRecords } from './records.js';

/** The platform the scripts deploy to is a file: `served` holds the version that serves. */
const SCRIPTS = {
  'deploy.sh': [
    'echo "deploying $OPSBOOK_VERSION as $OPSBOOK_DEPLOY_ID"',
    'if [ -n "$SLOW" ]; then sleep "$SLOW"; fi',
    'if [ "$FAIL" = 1 ]; then echo "build failed for $OPSBOOK_VERSION" >&2; exit 3; fi',
    'echo "$OPSBOOK_VERSION" > served',
    'echo "deployed $OPSBOOK_VERSION"',
  ],
  'rollback.sh': [
    'echo "rollback to=$OPSBOOK_ROLLBACK_TO commit=$OPSBOOK_ROLLBACK_COMMIT version=$OPSBOOK_ROLLBACK_VERSION"',
    'if [ "$ROLLBACK_FAIL" = 1 ]; then echo "platform refused" >&2; exit 1; fi',
    'echo "$OPSBOOK_ROLLBACK_VERSION" > served',
  ],
  'status.sh': ['cat status.txt'],
};

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function setup(provider: Record<string, string | undefined> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'opsbook-command-'));
  dirs.push(dir);
  for (const [name, lines] of Object.entries(SCRIPTS))
    writeFileSync(join(dir, name), `${lines.join('\n')}\n`);
  const config = stackSchema.parse({
    name: 'test',
    environments: { test: {} },
    services: {
      web: {
        kind: 'web',
        provider: { type: 'command', deploy: 'sh deploy.sh', rollback: 'sh rollback.sh', ...provider },
      },
    },
  });
  const p = createCommandProvider(resolveEnvironment(config, 'test')[0]!);
  const ctx = (signal?: AbortSignal): ProviderContext =>
    createProviderContext({ cwd: dir, env: { PATH: process.env.PATH ?? '' }, signal });
  const served = () => {
    try {
      return readFileSync(join(dir, 'served'), 'utf8').trim();
    } catch {
      return undefined;
    }
  };
  return { dir, provider: p, ctx, served };
}

const follow = (p: Provider, id: string, ctx: ProviderContext) =>
  followDeploy(p, id, ctx, { intervalMs: 50, timeoutMs: 15_000 });

/** What makes a release good, failing or slow. */
const RELEASE_ENV: Record<ReleaseKind, Record<string, string>> = {
  bad: { FAIL: '1' },
  slow: { SLOW: '3' },
  good: {},
};

describeProviderContract('command', async (): Promise<ProviderContractTarget> => {
  const { provider, ctx, served } = setup();
  return {
    provider,
    context: ctx,
    request: (kind, label) => ({
      environment: 'test',
      version: label,
      releaseEnv: RELEASE_ENV[kind],
    }),
    served: async () => served(),
    logMarker: 'deployed v1',
    dispose: async () => {},
  };
});

describe('command provider', () => {
  it('fails a deploy on a non-zero exit with the exit code and the last output lines', async () => {
    const { provider, ctx } = setup();
    const d = await provider.deploy({ environment: 'test', version: 'v1', releaseEnv: { FAIL: '1' } }, ctx());
    const final = await follow(provider, d.id, ctx());
    expect(final.state).toBe('failed');
    expect(final.reason).toContain('exited with code 3');
    expect(final.reason).toContain('build failed for v1');
  });

  it('lets the status command decide once the deploy command has exited 0', async () => {
    const { dir, provider, ctx } = setup({ status: 'sh status.sh' });
    writeFileSync(join(dir, 'status.txt'), 'Deployment dpl_1\nStatus: BUILDING\n');
    const d = await provider.deploy({ environment: 'test', version: 'v1' }, ctx());
    const building = await followDeploy(provider, d.id, ctx(), { intervalMs: 50, timeoutMs: 1000 });
    expect(building.state).toBe('building');
    writeFileSync(join(dir, 'status.txt'), 'Deployment dpl_1\nStatus: READY\n');
    expect((await follow(provider, d.id, ctx())).state).toBe('live');

    writeFileSync(join(dir, 'status.txt'), 'Status: ERROR\n');
    const second = await provider.deploy({ environment: 'test', version: 'v2' }, ctx());
    const failed = await follow(provider, second.id, ctx());
    expect(failed).toMatchObject({ state: 'failed', reason: 'the status command says it failed' });
  });

  it('runs the rollback command with the target id, commit and version', async () => {
    const { provider, ctx, served } = setup();
    const v1 = await provider.deploy({ environment: 'test', version: 'v1', commit: 'abc123' }, ctx());
    await follow(provider, v1.id, ctx());
    await follow(provider, (await provider.deploy({ environment: 'test', version: 'v2' }, ctx())).id, ctx());
    const restored = await provider.rollback(v1.id, ctx());
    expect(restored).toMatchObject({ state: 'live', trigger: 'rollback', version: 'v1', commit: 'abc123' });
    expect(served()).toBe('v1');
    const { lines } = await provider.logs!(restored.id, ctx());
    expect(lines.map((l) => l.text)).toContain(`rollback to=${v1.id} commit=abc123 version=v1`);
    const states = (await provider.listDeploys(ctx())).map((d) => [d.version, d.trigger, d.state]);
    expect(states).toEqual([
      ['v1', 'rollback', 'live'],
      ['v2', 'api', 'superseded'],
      ['v1', 'api', 'superseded'],
    ]);
  });

  it('throws a provider error when the rollback command fails, and a user error when there is none', async () => {
    const { provider, ctx } = setup();
    const failing = createProviderContext({ ...ctx(), env: { ...ctx().env, ROLLBACK_FAIL: '1' } });
    const error = await provider.rollback('dpl_platform_id', failing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).bodyExcerpt).toContain('platform refused');
    expect((await provider.listDeploys(ctx()))[0]).toMatchObject({ trigger: 'rollback', state: 'failed' });

    const none = setup({ rollback: undefined });
    await expect(none.provider.rollback('x', none.ctx())).rejects.toBeInstanceOf(UserError);
  });

  it('fails a deploy whose opsbook process died mid-command, or asks the status command when there is one', async () => {
    const dead = spawnSync('true').pid;
    const plant = (dir: string) =>
      updateRecords(recordsDir(dir, 'web'), (file) => {
        file.seq = 1;
        file.deploys.push({
          id: 'cmd-1-dead00',
          seq: 1,
          state: 'deploying',
          command: 'sh deploy.sh',
          trigger: 'api',
          createdAt: new Date().toISOString(),
          runnerPid: dead,
        });
      });
    const plain = setup();
    plant(plain.dir);
    const unknown = await plain.provider.getDeploy('cmd-1-dead00', plain.ctx());
    expect(unknown.state).toBe('failed');
    expect(unknown.reason).toContain('outcome is unknown');

    const withStatus = setup({ status: 'sh status.sh' });
    writeFileSync(join(withStatus.dir, 'status.txt'), 'live\n');
    plant(withStatus.dir);
    expect((await withStatus.provider.getDeploy('cmd-1-dead00', withStatus.ctx())).state).toBe('live');
  });

  it('masks secrets in the log lines it keeps', async () => {
    const { dir, provider, ctx } = setup({ deploy: 'echo "token is $API_TOKEN"' });
    const secret = 'tok_1234567890abcdef';
    const c = createProviderContext({
      ...ctx(),
      env: { ...ctx().env, API_TOKEN: secret },
      redactor: createRedactor([secret]),
    });
    const d = await provider.deploy({ environment: 'test' }, c);
    await follow(provider, d.id, c);
    expect((await provider.logs!(d.id, c)).lines.map((l) => l.text)).toEqual(['token is [REDACTED]']);
    const stored = readdirSync(recordsDir(dir, 'web')).map((f) =>
      readFileSync(join(recordsDir(dir, 'web'), f), 'utf8'),
    );
    expect(stored.join('')).not.toContain(secret);
  });

  it('reads the last state word a status command prints', () => {
    expect(parseStateWord('Deployment dpl_1\nreadyState: READY')).toBe('live');
    expect(parseStateWord('status: build_failed\n')).toBe('failed');
    expect(parseStateWord('==> Deploy queued\n==> Build in progress: building')).toBe('building');
    expect(parseStateWord('nothing to see')).toBeUndefined();
  });
});
