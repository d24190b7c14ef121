import { describe, expect, it } from 'vitest';
import { setup } from '../../test/support/deploy/setup.js';
import { lockName } from './locks.js';
import { runDeploy } from './run-deploy.js';

async function withConfirm() {
  const s = await setup();
  s.options.config.deploy.verify.confirm = ['Login with the test account works?'];
  return s;
}

describe('deploy.verify.confirm', () => {
  it('pauses in CI until a person confirms, then records who confirmed and when', async () => {
    const { options, store } = await withConfirm();
    const paused = await runDeploy(options);
    expect(paused.status).toBe('paused');
    expect(paused.message).toContain('--confirm verify-1');
    expect(await store.getLock(lockName('production'))).toBeDefined();

    const done = await runDeploy({ ...options, resumeRunId: paused.runId!, confirmed: ['verify-1'] });
    expect(done.status).toBe('succeeded');
    expect(done.state!.confirmations).toEqual([
      expect.objectContaining({
        question: 'Login with the test account works?',
        answer: true,
        by: 'alice',
        via: 'flag',
      }),
    ]);
    const events = await store.listEvents(done.runId!);
    expect(events.some((e) => e.type === 'verify.confirm' && e.message.includes('alice answered yes'))).toBe(
      true,
    );
  });

  it('asks in a terminal; a no is a failure that offers the rollback', async () => {
    const { options } = await withConfirm();
    const questions: string[] = [];
    const r = await runDeploy({
      ...options,
      ask: async (q) => {
        questions.push(q);
        return !q.startsWith('Login');
      },
    });
    expect(questions[0]).toContain('Login with the test account works?');
    expect(questions[1]).toContain('Roll back?');
    expect(r.status).toBe('rolled-back');
    expect(r.state!.failure?.trigger).toBe('confirm-failed');
  });
});
