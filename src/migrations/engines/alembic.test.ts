import { describe, expect, it } from 'vitest';
import { splitOfflineSql } from './alembic.js';

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
