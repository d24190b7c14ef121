import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validate } from './validate.js';

describe('validate', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'opsbook-validate-'));
    writeFileSync(
      join(dir, 'opsbook.yaml'),
      'name: t\nservices:\n  db:\n    kind: database\nmigrations:\n  database: db\n  dir: db/migrations\n',
    );
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a config whose migrations folder is not there, naming the key', async () => {
    const result = await validate({ cwd: dir });
    expect(result.valid).toBe(false);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'config/missing-folder',
        message: `migrations.dir: db/migrations does not exist (from ${dir}), so every migrate command would fail on it`,
        location: { file: 'opsbook.yaml', path: 'migrations.dir' },
      }),
    ]);
    expect(result.files).toEqual([expect.objectContaining({ valid: false, errors: 1 })]);
  });

  it('accepts it once the folder exists', async () => {
    mkdirSync(join(dir, 'db', 'migrations'), { recursive: true });
    const result = await validate({ cwd: dir });
    expect([result.valid, result.diagnostics]).toEqual([true, []]);
  });
});
