import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeExit, runShell } from './command.js';

/** Running, not a zombie: a killed grandchild is re-parented to init, which may reap it late. */
const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

/** Polls, because a SIGKILLed process is reaped a moment after the group signal. */
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 20));
  return !alive(pid);
}

describe('runShell: an engine command as its own process group', () => {
  let dir: string;
  const leftovers: number[] = [];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'opsbook-run-shell-'));
  });
  afterEach(async () => {
    for (const pid of leftovers.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });
  /** A grandchild (like `npx` starting prisma's node process) that keeps the pipes open until it is killed. */
  const grandchild = (prefix = '') => `${prefix}sleep 30 & echo $! > child.pid; echo started; wait`;
  const childPid = async () => {
    const pid = Number(await readFile(join(dir, 'child.pid'), 'utf8'));
    leftovers.push(pid);
    return pid;
  };

  it('keeps stdout and reports success for a command that exits 0', async () => {
    const run = await runShell('echo one; echo two >&2; echo three', { cwd: dir, env: process.env });
    expect([run.ok, run.code, run.stdout]).toEqual([true, 0, 'one\nthree\n']);
    expect(run.tail.split('\n').sort()).toEqual(['one', 'three', 'two']);
  });

  it('stops the command and what it started when it runs past its time limit', async () => {
    const run = await runShell(grandchild(), { cwd: dir, env: process.env, timeoutMs: 300 });
    expect(run.ok).toBe(false);
    expect(run.timedOutAfterMs).toBe(300);
    expect(describeExit(run)).toBe('timed out after 0.3s, stopped with everything it started');
    expect(run.tail).toBe('started');
    expect(await gone(await childPid())).toBe(true);
  });

  it('stops the command and what it started when the run is cancelled (Ctrl-C)', async () => {
    const cancel = new AbortController();
    setTimeout(() => cancel.abort(), 300);
    const run = await runShell(grandchild(), { cwd: dir, env: process.env, signal: cancel.signal });
    expect([run.ok, run.aborted, describeExit(run)]).toEqual([
      false,
      true,
      'cancelled, stopped with everything it started',
    ]);
    expect(await gone(await childPid())).toBe(true);
  });

  it('kills a group that ignores SIGTERM once the grace period is over', async () => {
    const run = await runShell(grandchild("trap '' TERM; "), {
      cwd: dir,
      env: process.env,
      timeoutMs: 200,
      killGraceMs: 300,
    });
    expect(run.timedOutAfterMs).toBe(200);
    expect(await gone(await childPid())).toBe(true);
  });

  it('does not start a command whose run was already cancelled', async () => {
    const run = await runShell('touch ran', { cwd: dir, env: process.env, signal: AbortSignal.abort() });
    expect([run.ok, run.aborted]).toEqual([false, true]);
    await expect(readFile(join(dir, 'ran'))).rejects.toThrow(/ENOENT/);
  });

  it('returns when the command exits, though a background child it left holds the output open', async () => {
    const run = await runShell('sleep 30 & echo $! > child.pid; echo done', { cwd: dir, env: process.env });
    expect([run.ok, run.stdout]).toEqual([true, 'done\n']);
    await childPid();
  });

  it('says why a command could not start', async () => {
    const run = await runShell('true', { cwd: join(dir, 'missing'), env: process.env });
    expect(run.ok).toBe(false);
    expect(describeExit(run)).toMatch(/^could not start: .*ENOENT/);
  });
});
