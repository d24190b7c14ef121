import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { writeOutputFile } from './output-file.js';

const dir = mkdtempSync(join(tmpdir(), 'opsbook-output-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeOutputFile', () => {
  it('writes relative to cwd', async () => {
    const path = await writeOutputFile(dir, 'log.md', '# log\n');
    expect(readFileSync(path, 'utf8')).toBe('# log\n');
  });

  it('turns a missing folder or a folder target into a usage error', async () => {
    await expect(writeOutputFile(dir, 'nope/log.md', 'x')).rejects.toSatisfy(
      (e) => e instanceof UserError && e.message === 'cannot write nope/log.md: its folder does not exist',
    );
    await expect(writeOutputFile(dir, '.', 'x')).rejects.toSatisfy(
      (e) => e instanceof UserError && e.message.includes('it is a folder'),
    );
  });
});
