import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeTree } from '../../../test/support/migrations/engine-fixtures.js';
import { drizzle } from './drizzle.js';

let repo = '';
afterEach(async () => {
  await rm(repo, { recursive: true, force: true });
});

const journal = (tags: string[]) =>
  JSON.stringify({
    version: '7',
    dialect: 'postgresql',
    entries: tags.map((tag, i) => ({ idx: i, when: 1000 + i, tag })),
  });

describe('drizzle engine files', () => {
  it('refuses a SQL file the journal does not list: drizzle-kit migrate would never apply it', async () => {
    repo = await mkdtemp(join(tmpdir(), 'opsbook-drizzle-'));
    await writeTree(repo, {
      'drizzle/meta/_journal.json': journal(['0000_init']),
      'drizzle/0000_init.sql': 'CREATE TABLE items (id bigint);\n',
      'drizzle/0001_hand_written.sql': 'ALTER TABLE items ADD COLUMN note text;\n',
    });
    const listed = await drizzle.list(repo, 'drizzle');
    expect(listed.migrations.map((m) => m.display)).toEqual(['drizzle/0000_init.sql']);
    expect(listed.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'migration/not-in-journal',
        location: { file: 'drizzle/0001_hand_written.sql' },
      }),
    ]);
  });

  it('refuses a journal of the wrong shape as bad input, not a crash', async () => {
    repo = await mkdtemp(join(tmpdir(), 'opsbook-drizzle-'));
    for (const text of [
      'null',
      '[]',
      '{"entries":{"a":1}}',
      '{"entries":[null]}',
      '{"entries":["0000_init"]}',
    ]) {
      await writeTree(repo, {
        'drizzle/meta/_journal.json': text,
        'drizzle/0000_init.sql': 'CREATE TABLE items (id bigint);\n',
      });
      await expect(drizzle.list(repo, 'drizzle'), text).rejects.toMatchObject({
        name: 'UserError',
        message: expect.stringMatching(/drizzle\/meta\/_journal\.json/),
      });
    }
  });

  it('reports a listed file with a NUL byte once, with its position', async () => {
    repo = await mkdtemp(join(tmpdir(), 'opsbook-drizzle-'));
    await writeTree(repo, {
      'drizzle/meta/_journal.json': journal(['0000_init']),
      'drizzle/0000_init.sql': 'CREATE TABLE items (id bigint);\u0000DROP TABLE x;\n',
    });
    const listed = await drizzle.list(repo, 'drizzle');
    expect(listed.diagnostics.map((d) => d.code)).toEqual(['migration/bad-encoding']);
    expect(listed.diagnostics[0]?.location).toMatchObject({
      file: 'drizzle/0000_init.sql',
      line: 1,
      column: 32,
    });
  });
});
