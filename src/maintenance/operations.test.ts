import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stackSchema } from '../config/schema.js';
import { openStore, type Store } from '../store/index.js';
import { maintenanceDue, runTask } from './operations.js';

const config = stackSchema.parse({
  name: 'shop',
  services: { api: { kind: 'web' } },
  maintenance: [
    { id: 'silent', title: 'Fails without a word', every: 'weekly', run: 'exit 3' },
    { id: 'killed', title: 'Killed', every: 'weekly', run: 'kill -9 $$' },
    { id: 'nul', title: 'A \\0 escape in YAML', every: 'weekly', run: 'echo \0 done' },
    {
      id: 'escapes',
      title: 'Prints escapes',
      every: 'weekly',
      run: "printf 'a\\033]0;owned\\007\\nb\\n'; exit 1",
    },
    { id: 'flag', title: 'Passes while the flag file exists', every: 'weekly', run: 'test -f flag' },
  ],
});

describe('a maintenance run: command that fails', () => {
  let cwd: string;
  let store: Store;
  beforeEach(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'opsbook-maint-run-'));
    store = await openStore({ cwd, env: {} });
  });
  afterEach(async () => {
    await store.close();
    await rm(cwd, { recursive: true, force: true });
  });
  const ctx = () => ({ cwd, config, env: process.env, store, actor: 'ann' });

  it('says it printed nothing rather than showing an empty line, and stays due', async () => {
    const c = await runTask(ctx(), 'silent');
    expect(c.ok).toBe(false);
    expect(c.evidence?.summary).toBe('`exit 3` exited with 3');
    expect(c.evidence?.findings).toEqual([{ severity: 'warning', message: 'it printed nothing' }]);
    expect((await maintenanceDue(ctx())).map((t) => t.id)).toContain('silent');
  });

  it('names the signal that killed it instead of "exited with null"', async () => {
    const c = await runTask(ctx(), 'killed');
    expect(c.ok).toBe(false);
    expect(c.evidence?.summary).toBe('`kill -9 $$` was killed by SIGKILL');
  });

  it('is overdue, not merely due, when it has failed every week since it last passed', async () => {
    await writeFile(join(cwd, 'flag'), '');
    const passedAt = new Date('2026-11-10T09:00:00Z');
    expect((await runTask({ ...ctx(), now: () => passedAt }, 'flag')).ok).toBe(true);
    await rm(join(cwd, 'flag'));
    const now = new Date('2026-12-04T12:00:00Z');
    expect((await runTask({ ...ctx(), now: () => now }, 'flag')).ok).toBe(false);
    const due = await maintenanceDue({ ...ctx(), now: () => now });
    expect(due.find((t) => t.id === 'flag')).toMatchObject({
      state: 'overdue',
      dueSince: '2026-11-16T00:00:00.000Z',
    });
  });

  it('fails a command with a NUL byte (a \\0 escape in YAML) as a run that could not start, instead of crashing', async () => {
    const c = await runTask(ctx(), 'nul');
    expect(c.ok).toBe(false);
    expect(c.evidence?.summary).toBe('`echo \\x00 done` could not start: it contains a NUL byte');
    expect(c.evidence?.findings[0]?.message).toMatch(/single quotes/);
  });

  it("shows a failing command's escape sequences as \\xNN, not raw to the terminal, keeping its lines", async () => {
    const c = await runTask(ctx(), 'escapes');
    expect(c.evidence?.findings).toEqual([{ severity: 'warning', message: 'a\\x1b]0;owned\\x07\nb' }]);
  });
});
