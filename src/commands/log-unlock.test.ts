import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CommandValues, commandInput } from '../../test/support/command-input.js';
import type { DeliveryMetrics, LogEntry } from '../deploy/index.js';
import { UserError } from '../errors.js';
import { createOutput } from '../output/index.js';
import { createRedactor } from '../redact/index.js';
import { openStore } from '../store/index.js';
import { run as log } from './log.js';
import { LOG_ARGS, UNLOCK_ARGS } from './specs-release.js';
import type { CommandArgs, CommandHandler } from './types.js';
import { run as unlock } from './unlock.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'opsbook-log-unlock-'));
  writeFileSync(join(dir, 'opsbook.yaml'), 'name: shop\nservices:\n  api: { kind: web }\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const call = <A extends CommandArgs>(handler: CommandHandler<A>, args: A, values: CommandValues<A>) =>
  handler(
    commandInput(args, {
      values,
      cwd: dir,
      out: createOutput({
        mode: 'plain',
        stdout: { write: () => true },
        stderr: { write: () => true },
        env: {},
      }),
    }),
  );

const rejectsWith = (text: string) => (e: unknown) => e instanceof UserError && e.message.includes(text);

describe('opsbook log and unlock on bad input', () => {
  it('unlock refuses an environment the config does not declare instead of saying it is not locked', async () => {
    await expect(call(unlock, UNLOCK_ARGS, { env: 'prod' })).rejects.toSatisfy(
      rejectsWith("unknown environment 'prod'"),
    );
    expect((await call(unlock, UNLOCK_ARGS, { env: 'production' })).ok).toBe(true);
  });

  it('log refuses an unknown environment and a window that is not a positive number of days', async () => {
    await expect(call(log, LOG_ARGS, { env: 'prod' })).rejects.toSatisfy(
      rejectsWith("unknown environment 'prod'"),
    );
    for (const days of ['-3', '0', 'abc'])
      await expect(call(log, LOG_ARGS, { days })).rejects.toSatisfy(rejectsWith('--days'));
    expect((await call(log, LOG_ARGS, { days: '7' })).ok).toBe(true);
  });
});

describe('opsbook log after a manual rollback', () => {
  it('shows the deploy rolled back by a person and counts it as a failed change', async () => {
    const store = await openStore({ cwd: dir, env: {}, redactor: createRedactor() });
    try {
      const now = new Date().toISOString();
      const deploy = await store.createRun({
        kind: 'deploy',
        environment: 'production',
        actor: 'alice',
        startedAt: new Date(Date.now() - 60_000).toISOString(),
      });
      await store.updateRun(deploy.id, {
        status: 'succeeded',
        finishedAt: now,
        summary: {
          plan: { environment: 'production', groups: [['api']] },
          phase: 'finished',
          actor: 'alice',
          commit: 'abc',
          commitRange: [],
          services: { api: { state: 'live', deploy: { id: 'dep-new', state: 'live' } } },
          times: { requestedAt: now, liveAt: now, verifiedAt: now },
          downtimeMs: 0,
          announcements: [],
          externalMs: 0,
        },
      });
      const rollback = await store.createRun({ kind: 'rollback', environment: 'production', actor: 'bob' });
      await store.updateRun(rollback.id, {
        status: 'rolled-back',
        finishedAt: new Date().toISOString(),
        summary: {
          reason: 'checkout broken',
          plan: [{ service: 'api', from: 'dep-new', to: 'dep-old' }],
          services: [{ service: 'api', from: 'dep-new', to: 'dep-old', result: { id: 'dep-old' } }],
          autoDeployOff: [],
          verification: { outcome: 'successful', reason: 'ok' },
        },
      });
    } finally {
      await store.close();
    }
    const outcome = await call(log, LOG_ARGS, {});
    const data = outcome.data as { entries: LogEntry[]; metrics: DeliveryMetrics };
    expect(data.entries[0]?.rollback).toMatch(/^by bob with 'opsbook rollback' .*: checkout broken$/);
    expect(data.metrics.changeFailureRate).toBe(1);
    expect(data.metrics.timeToRestoreMedianMs).not.toBeNull();
  });
});
