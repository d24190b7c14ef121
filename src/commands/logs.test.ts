import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CommandValues, commandInput } from '../../test/support/command-input.js';
import { UserError } from '../errors.js';
import { createOutput } from '../output/index.js';
import { run } from './logs.js';
import { LOGS_ARGS } from './specs-operate.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'opsbook-logs-cmd-'));
  // A command provider whose logs command prints two lines and exits.
  writeFileSync(
    join(dir, 'opsbook.yaml'),
    `name: shop
services:
  api:
    kind: web
    provider:
      type: command
      deploy: 'true'
      logs: "printf 'started\\\\nready\\\\n'"
  worker:
    kind: worker
    provider: { type: command, deploy: 'true', logs: 'true' }
  cron:
    kind: cron
    schedule: daily
    provider: { type: command, deploy: 'true', logs: "echo 'error: not logged in' >&2; exit 3" }
`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function logs(values: CommandValues<typeof LOGS_ARGS> = {}, positionals = ['api']) {
  let stdout = '';
  let stderr = '';
  const out = createOutput({
    mode: 'plain',
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: {},
  });
  const outcome = await run(
    commandInput(LOGS_ARGS, { values, positionals, cwd: dir, out, env: { PATH: process.env.PATH } }),
  );
  outcome.print?.(out);
  return { outcome, stdout, stderr };
}

describe('opsbook logs', () => {
  it('prints the lines of the logs command', async () => {
    const { outcome, stdout } = await logs();
    expect(outcome.ok).toBe(true);
    expect(stdout).toMatch(/api \| started\n.*api \| ready\n/);
  });

  it('refuses a --grep /regex/ that does not compile, as bad input naming the flag', async () => {
    const error = await logs({ grep: '/(ready/' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(/--grep \/\(ready\/ is not a valid regular expression/);
    expect((error as UserError).hint).toMatch(/escape/);
  });

  it('fails, saying how many lines it read, when no line matches the filters', async () => {
    const { outcome, stdout, stderr } = await logs({ grep: 'no such text' });
    expect(outcome.ok).toBe(false);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/2 lines read from api, none matched --grep no such text/);
  });

  it('fails when the platform gave no line at all, and says so', async () => {
    const { outcome, stderr } = await logs({}, ['worker']);
    expect(outcome.ok).toBe(false);
    expect(stderr).toMatch(/no log lines from worker: the platform gave none/);
  });

  it('fails, naming the exit and its error, when the logs command fails, instead of showing the error as a log line', async () => {
    const { outcome, stdout, stderr } = await logs({}, ['cron']);
    expect(outcome.ok).toBe(false);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/cron: the logs command .* exited with code 3: error: not logged in/);
    expect(stderr).not.toMatch(/gave none/);
  });
});
