import { describe, expect, it } from 'vitest';
import { compareHistory } from './compare.js';
import { checksumOf, type MigrationFile } from './files.js';
import type { HistoryRow } from './history.js';

const file = (version: string, text = `SELECT ${version};`): MigrationFile => ({
  version,
  name: `m${version}`,
  path: `/m/${version}.sql`,
  display: `${version}.sql`,
  text,
  checksum: checksumOf(text),
});

const row = (f: MigrationFile, extra: Partial<HistoryRow> = {}): HistoryRow => ({
  version: f.version,
  name: f.name,
  checksum: f.checksum,
  kind: 'applied',
  transactional: true,
  statements_total: 1,
  statements_applied: 1,
  started_at: new Date('2026-01-01T00:00:00Z'),
  finished_at: new Date('2026-01-01T00:00:01Z'),
  duration_ms: 1,
  applied_by: 'ci@host',
  backup_ref: null,
  last_error: null,
  applied_checksum: null,
  ...extra,
});

describe('compareHistory', () => {
  it('orders versions numerically and runs a half-applied file before newer pending ones', () => {
    const [a, b, c] = [file('9'), file('10'), file('11')];
    const result = compareHistory(
      [a, b, c],
      [row(a), row(b, { finished_at: null, transactional: false, statements_applied: 0 })],
    );
    expect(result.entries.map((e) => [e.version, e.state])).toEqual([
      ['9', 'applied'],
      ['10', 'partial'],
      ['11', 'pending'],
    ]);
    expect(result.pending.map((e) => e.version)).toEqual(['10', '11']);
    expect(result.diagnostics).toEqual([]);
  });

  it('lets an edited half-applied file resume only when its applied part is unchanged', () => {
    const applied = file('1', 'SELECT 1;');
    const edited = file('1', 'SELECT 1; SELECT 2;');
    const partial = row(applied, { finished_at: null, statements_applied: 1 });
    const unchanged = compareHistory([edited], [partial], { appliedPartUnchanged: () => true });
    expect(unchanged.pending.map((e) => e.state)).toEqual(['partial']);
    const changed = compareHistory([edited], [partial], { appliedPartUnchanged: () => false });
    expect(changed.pending).toEqual([]);
    expect(changed.diagnostics.map((d) => d.code)).toEqual(['migration/checksum-mismatch']);
  });

  it('matches versions by number, so 001 and 1 are the same migration', () => {
    const f = file('001');
    expect(compareHistory([f], [row({ ...f, version: '1' })]).entries.map((e) => e.state)).toEqual([
      'applied',
    ]);
  });
});
