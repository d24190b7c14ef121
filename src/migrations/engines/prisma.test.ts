import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeTree } from '../../../test/support/migrations/engine-fixtures.js';
import { prisma } from './prisma.js';

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
