import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeTree } from '../../../test/support/migrations/engine-fixtures.js';
import { alembic, alembicHeads, splitOfflineSql } from './alembic.js';

const OFFLINE = [
  'BEGIN;',
  '',
  'CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL);',
  '',
  '-- Running upgrade  -> a1',
  '',
  'CREATE TABLE items (id bigint);',
  '',
  "INSERT INTO alembic_version (version_num) VALUES ('a1');",
  '',
  '-- Running upgrade a1 -> b2',
  '',
  'CREATE INDEX items_id_idx ON items (id);',
  '',
  'COMMIT;',
  '',
].join('\n');

describe('splitOfflineSql', () => {
  it('cuts alembic offline output into revisions, keeping line numbers and dropping its BEGIN/COMMIT', () => {
    const parts = splitOfflineSql(OFFLINE);
    expect(parts.map((p) => p.id)).toEqual(['a1', 'b2']);
    const b2 = parts[1]?.text.split('\n') ?? [];
    expect(b2[12]).toBe('CREATE INDEX items_id_idx ON items (id);');
    expect(b2.slice(0, 10).every((l) => l === '')).toBe(true);
    expect(parts.map((p) => p.text).join('\n')).not.toMatch(
      /BEGIN;|COMMIT;|alembic_version \(version_num VARCHAR/,
    );
    expect(parts[0]?.text).toContain('CREATE TABLE items');
    expect(parts[0]?.text).not.toContain('CREATE INDEX');
  });

  it('finds nothing to split in output without revision markers', () => {
    expect(splitOfflineSql('SELECT 1;\n')).toEqual([]);
  });
});

describe('alembic revision files', () => {
  it('reads a merge revision whose down_revision tuple a formatter wrapped over several lines', async () => {
    const repo = await mkdtemp(join(tmpdir(), 'opsbook-alembic-'));
    try {
      const rev = (id: string, down: string) =>
        `revision: str = "${id}"\ndown_revision: Union[str, Sequence[str], None] = ${down}\n`;
      await writeTree(repo, {
        'alembic/versions/a1.py': rev('a1', 'None'),
        'alembic/versions/b1.py': rev('b1', '"a1"'),
        'alembic/versions/b2.py': rev('b2', '"a1"'),
        'alembic/versions/b3.py': rev('b3', '"a1"'),
        'alembic/versions/m1.py': rev('m1', '(\n    "b1",\n    "b2",\n    "b3",\n)'),
      });
      const listed = await alembic.list(repo, 'alembic/versions');
      expect(listed.migrations.find((m) => m.id === 'm1')?.parents).toEqual(['b1', 'b2', 'b3']);
      expect(alembicHeads(listed.migrations)).toEqual(['m1']);
      expect(listed.diagnostics).toEqual([]);
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  });
});
