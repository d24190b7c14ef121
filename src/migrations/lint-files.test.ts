import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { atLeastBytes, SIZE_SAMPLE } from './lint/threads.js';
import { lintMigrationFiles } from './lint-files.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('lintMigrationFiles on many files', () => {
  it('lints on worker threads with the same findings, in file order, as on one thread', async () => {
    dir = mkdtempSync(join(tmpdir(), 'opsbook-lint-threads-'));
    for (let i = 1; i <= 240; i++) {
      const sql =
        i % 3 === 0
          ? `CREATE INDEX t${i}_idx ON t (c${i});\n`
          : `CREATE TABLE t${i} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\n`;
      writeFileSync(join(dir, `${String(i).padStart(4, '0')}_m.sql`), sql);
    }
    const one = await lintMigrationFiles({ cwd: dir, paths: ['.'], threads: 1 });
    const two = await lintMigrationFiles({ cwd: dir, paths: ['.'], threads: 2 });
    expect(one.threads).toBe(1);
    expect(two.threads).toBe(2);
    expect(two.files).toEqual(one.files);
    expect(two.diagnostics).toEqual(one.diagnostics);
    expect(
      one.diagnostics.filter((d) => d.code === 'migration/require-concurrent-index-creation'),
    ).toHaveLength(80);
    expect(one.files.map((f) => f.file).slice(0, 2)).toEqual(['0001_m.sql', '0002_m.sql']);
  });

  it('counts SQL by bytes to decide on workers, reading sizes only until the threshold is reached', () => {
    dir = mkdtempSync(join(tmpdir(), 'opsbook-lint-bytes-'));
    writeFileSync(join(dir, 'a.sql'), 'x'.repeat(600));
    writeFileSync(join(dir, 'b.sql'), 'x'.repeat(600));
    const files = [
      { path: join(dir, 'a.sql') },
      { path: join(dir, 'b.sql') },
      { path: join(dir, 'gone.sql') },
    ];
    expect(atLeastBytes(files, 1200)).toBe(true);
    expect(atLeastBytes(files, 1201)).toBe(false);
    // Text given for a file counts in UTF-8 bytes, without reading the file.
    expect(atLeastBytes([{ path: join(dir, 'gone.sql'), text: 'é'.repeat(10) }], 20)).toBe(true);
  });

  it('estimates the bytes of many files from an even sample of them', () => {
    dir = mkdtempSync(join(tmpdir(), 'opsbook-lint-sample-'));
    // Twice the sample: every other file is sampled, and only those hold SQL.
    const files = Array.from({ length: 2 * SIZE_SAMPLE }, (_, i) => {
      const path = join(dir, `${i}.sql`);
      writeFileSync(path, i % 2 === 0 ? 'x'.repeat(200) : '');
      return { path };
    });
    expect(atLeastBytes(files, 200 * files.length)).toBe(true);
    expect(atLeastBytes(files, 200 * files.length + 1)).toBe(false);
  });
});
