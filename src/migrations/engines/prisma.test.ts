import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeTree } from '../../../test/support/migrations/engine-fixtures.js';
import { prisma, prismaChecksumMatches } from './prisma.js';

let repo = '';
afterEach(async () => {
  await rm(repo, { recursive: true, force: true });
});

describe('prisma engine files', () => {
  it('refuses a migration folder without migration.sql (P3015) and ignores migration_lock.toml', async () => {
    repo = await mkdtemp(join(tmpdir(), 'opsbook-prisma-'));
    await writeTree(repo, {
      'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n',
      'prisma/migrations/20240101000000_init/migration.sql': 'CREATE TABLE items (id bigint);\n',
      'prisma/migrations/20240201000000_gone/README.md': 'the SQL was deleted\n',
    });
    const listed = await prisma.list(repo, 'prisma/migrations');
    expect(listed.migrations.map((m) => m.id)).toEqual(['20240101000000_init']);
    expect(listed.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'migration/missing-sql',
        location: { file: 'prisma/migrations/20240201000000_gone' },
      }),
    ]);
  });
});

describe('prismaChecksumMatches', () => {
  const lf = 'CREATE TABLE items (id bigint);\nCREATE TABLE tags (id bigint);\n';
  const crlf = lf.replaceAll('\n', '\r\n');
  const hex = (text: string) => createHash('sha256').update(text).digest('hex');

  it('accepts the file checked out with the other line endings, as prisma migrate deploy does', () => {
    expect(prismaChecksumMatches(hex(lf), crlf)).toBe(true);
    expect(prismaChecksumMatches(hex(crlf), lf)).toBe(true);
  });

  it('accepts an old row whose checksum hex was written without zero padding', () => {
    const unpaddedHex = (text: string) =>
      [...createHash('sha256').update(text).digest()].map((b) => b.toString(16)).join('');
    // A script whose digest has a byte below 0x10, so the old format is shorter than 64.
    let text = lf;
    for (let i = 0; unpaddedHex(text).length === 64; i++) text = `${lf}-- ${i}\n`;
    expect(prismaChecksumMatches(unpaddedHex(text), text)).toBe(true);
  });

  it('still refuses an edited file', () => {
    expect(prismaChecksumMatches(hex(lf), `${lf}DROP TABLE tags;\n`)).toBe(false);
  });
});
