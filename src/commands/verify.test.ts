import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CommandValues, commandInput } from '../../test/support/command-input.js';
import { UserError } from '../errors.js';
import { createOutput } from '../output/index.js';
import { VERIFY_ARGS } from './specs-release.js';
import { run } from './verify.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'opsbook-verify-cmd-'));
  writeFileSync(join(dir, 'opsbook.yaml'), 'name: shop\nservices:\n  api: { kind: web }\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const verify = (values: CommandValues<typeof VERIFY_ARGS>) =>
  run(
    commandInput(VERIFY_ARGS, {
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

describe('opsbook verify', () => {
  it('turns a bad --interval into a usage error, not a crash', async () => {
    for (const interval of ['abc', '5', '0s'])
      await expect(verify({ interval })).rejects.toSatisfy(
        (e) => e instanceof UserError && e.message.includes(`--interval '${interval}'`),
      );
  });
});
