import { describe, expect, it } from 'vitest';
import { setup } from '../../test/support/deploy/setup.js';
import { renderLogEntry, toLogEntry } from './deployment-log.js';
import { runDeploy } from './run-deploy.js';

const criterion = (action: string) =>
  `rollback:\n  criteria:\n    - { reason: "Database down", action: ${action}, logs: ["Database connection failed"] }\n`;

describe('log signals in the bake window', () => {
  it('applies a matching rollback criterion as the line appears, even when trouble-log is no rollback trigger', async () => {
    const { options, platform } = await setup(criterion('rollback'));
    platform.nextLogs.set('api', ['listening on :3000', 'FATAL: Database connection failed']);
    const r = await runDeploy(options);
    expect(r.status).toBe('rolled-back');
    expect(r.state!.verification).toMatchObject({ outcome: 'failed', measurements: 1 });
    expect(r.state!.failure?.trigger).toBe('trouble-log');
    expect(r.state!.rollback?.decidedBy).toContain('Database down');
  });

  it('drops a line whose criterion says ignore, and still shows it under Issues in the log', async () => {
    const { options, platform, store } = await setup(criterion('ignore'));
    platform.nextLogs.set('api', ['listening on :3000', 'FATAL: Database connection failed']);
    const r = await runDeploy(options);
    expect(r.status).toBe('succeeded');
    const entry = toLogEntry((await store.getRun(r.runId!))!, 'main')!;
    expect(renderLogEntry(entry)).toContain(
      'Issues: api: trouble in the logs: FATAL: Database connection failed',
    );
  });

  it('fails the last measurement when a service printed none of its success lines', async () => {
    const { options, platform } = await setup();
    platform.nextLogs.set('api', ['starting']);
    const r = await runDeploy({ ...options, onProgress: undefined });
    // One failed measurement is within the limit of 1: the run goes on, but the miss is on record.
    expect(r.status).toBe('succeeded');
    expect(r.state!.verification?.failed).toBe(1);
    expect(r.state!.issues).toContain('api: no success line in the logs within the bake window');
  });
});
