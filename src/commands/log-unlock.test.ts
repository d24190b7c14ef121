import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { createOutput } from '../output/index.js';
import { run as log } from './log.js';
import type { CommandHandler, CommandInput } from './types.js';
import { run as unlock } from './unlock.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'opsbook-log-unlock-'));
  writeFileSync(join(dir, 'opsbook.yaml'), 'name: shop\nservices:\n  api: { kind: web }\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const call = (handler: CommandHandler, values: CommandInput['values']) =>
  handler({
    values,
    positionals: [],
    cwd: dir,
    out: createOutput({
      mode: 'plain',
      stdout: { write: () => true },
      stderr: { write: () => true },
      env: {},
    }),
    env: {},
    interactive: false,
    signal: new AbortController().signal,
  });

const rejectsWith = (text: string) => (e: unknown) => e instanceof UserError && e.message.includes(text);

describe('opsbook log and unlock on bad input', () => {
  it('unlock refuses an environment the config does not declare instead of saying it is not locked', async () => {
    await expect(call(unlock, { env: 'prod' })).rejects.toSatisfy(rejectsWith("unknown environment 'prod'"));
    expect((await call(unlock, { env: 'production' })).ok).toBe(true);
  });

  it('log refuses an unknown environment and a window that is not a positive number of days', async () => {
    await expect(call(log, { env: 'prod' })).rejects.toSatisfy(rejectsWith("unknown environment 'prod'"));
    for (const days of ['-3', '0', 'abc'])
      await expect(call(log, { days })).rejects.toSatisfy(rejectsWith('--days'));
    expect((await call(log, { days: '7' })).ok).toBe(true);
  });
});
