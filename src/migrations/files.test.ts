import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checksumOf, readMigrationDir } from './files.js';
import { lintMigrationFiles } from './lint-files.js';

describe('a plain SQL file saved with a UTF-8 byte order mark (Windows editors)', () => {
  let dir: string;
  const sql = 'CREATE TABLE t (id bigint);\n';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'opsbook-bom-'));
    await writeFile(
      join(dir, '001_t.sql'),
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(sql)]),
    );
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('is read without it, so the server does not see it as part of the first word; its checksum is unchanged', async () => {
    const read = await readMigrationDir(dir, '.');
    expect(read.files.map((f) => [f.text, f.checksum])).toEqual([[sql, checksumOf(sql)]]);
  });

  it('lints without a syntax error', async () => {
    const lint = await lintMigrationFiles({ cwd: dir, dir: '.', paths: ['001_t.sql'], threads: 1 });
    expect(lint.diagnostics.map((d) => d.code)).not.toContain('migration/syntax-error');
  });
});
