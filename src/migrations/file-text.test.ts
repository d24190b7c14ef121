import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeMigrationText, parseBytes, readMigrationText, readMigrationTextSync } from './file-text.js';

describe('migration file text', () => {
  it('accepts UTF-8 with multi-byte characters', () => {
    expect(decodeMigrationText(Buffer.from("SELECT 'Größe ✓ 😀';\n"), 'a.sql')).toEqual({
      ok: true,
      text: "SELECT 'Größe ✓ 😀';\n",
    });
  });

  it('refuses a NUL byte with its line and column', () => {
    const r = decodeMigrationText(Buffer.from('SELECT 1;\nSELECT é\0;\nDROP TABLE t;\n'), 'a.sql');
    expect(r).toMatchObject({
      ok: false,
      diagnostic: { code: 'migration/bad-encoding', location: { file: 'a.sql', line: 2, column: 9 } },
    });
    expect(!r.ok && r.diagnostic.message).toMatch(/NUL byte at line 2, column 9/);
  });

  it('refuses invalid UTF-8 (Latin-1) with its position', () => {
    const bytes = Buffer.concat([Buffer.from("SELECT 'caf"), Buffer.from([0xe9]), Buffer.from("';\n")]);
    const r = decodeMigrationText(bytes, 'b.sql');
    expect(r).toMatchObject({ ok: false, diagnostic: { location: { line: 1, column: 12 } } });
    expect(!r.ok && r.diagnostic.message).toMatch(/not valid UTF-8 .*0xe9/);
  });

  it('refuses UTF-16 by its byte order mark', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('SELECT 1;', 'utf16le')]);
    const r = decodeMigrationText(bytes, 'c.sql');
    expect(!r.ok && r.diagnostic.message).toMatch(/UTF-16/);
  });

  it('refuses a file over the size limit before reading it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'opsbook-text-'));
    try {
      await writeFile(join(dir, 'big.sql'), 'SELECT 1;\n'.repeat(200));
      const r = await readMigrationText(join(dir, 'big.sql'), 'big.sql', 1024);
      expect(r).toMatchObject({ ok: false, diagnostic: { code: 'migration/file-too-large' } });
      expect(!r.ok && r.diagnostic.message).toMatch(/2 KiB, over the 1 KiB limit/);
      expect((await readMigrationText(join(dir, 'big.sql'), 'big.sql', 4096)).ok).toBe(true);
      // The linter's synchronous reader applies the same limit and the same decoding.
      expect(readMigrationTextSync(join(dir, 'big.sql'), 'big.sql', 1024)).toEqual(r);
      await writeFile(join(dir, 'nul.sql'), Buffer.from('SELECT 1;\0DROP TABLE t;'));
      expect(readMigrationTextSync(join(dir, 'nul.sql'), 'nul.sql')).toMatchObject({
        ok: false,
        diagnostic: { code: 'migration/bad-encoding', location: { line: 1, column: 10 } },
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads files shorter than, as long as and longer than its 64 KiB read buffer whole, one after another', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'opsbook-text-'));
    try {
      // Each file differs to its last byte, so a read that kept an earlier file's bytes would show.
      const texts = [100, 64 * 1024 - 1, 64 * 1024, 64 * 1024 + 1, 300_000, 10].map((size, i) =>
        `-- ${i}\n${'x'.repeat(size - 6)}${i}\n`.slice(-size),
      );
      for (const [i, text] of texts.entries()) {
        await writeFile(join(dir, `${i}.sql`), text);
        expect(readMigrationTextSync(join(dir, `${i}.sql`), `${i}.sql`)).toEqual({ ok: true, text });
      }
      // The limit is applied on both sides of the buffer's size, by the size in the message.
      expect(readMigrationTextSync(join(dir, '4.sql'), '4.sql', 200_000)).toMatchObject({
        ok: false,
        diagnostic: { code: 'migration/file-too-large', message: expect.stringMatching(/293 KiB, over/) },
      });
      expect(readMigrationTextSync(join(dir, '0.sql'), '0.sql', 99)).toMatchObject({
        ok: false,
        diagnostic: { message: expect.stringMatching(/100 B, over the 99 B limit/) },
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a directory or a dangling symlink named like a migration, instead of crashing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'opsbook-text-'));
    try {
      await mkdir(join(dir, '002_dir.sql'));
      await symlink(join(dir, 'gone.sql'), join(dir, '003_link.sql'));
      for (const name of ['002_dir.sql', '003_link.sql']) {
        const expected = {
          ok: false,
          diagnostic: { severity: 'error', code: 'migration/unreadable-file', location: { file: name } },
        };
        expect(await readMigrationText(join(dir, name), name)).toMatchObject(expected);
        expect(readMigrationTextSync(join(dir, name), name)).toMatchObject(expected);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads sizes with units', () => {
    expect(parseBytes('10MiB')).toBe(10 * 1024 * 1024);
    expect(parseBytes('512 KiB')).toBe(512 * 1024);
    expect(parseBytes('2MB')).toBe(2_000_000);
    expect(parseBytes('lots')).toBeUndefined();
  });
});
