import { describe, expect, it } from 'vitest';
import { compareTables } from './tables.js';

describe('comparing restored tables with the manifest', () => {
  it('shows an escape sequence in a table name from the database as \\xNN, not raw to the terminal', () => {
    const evil = { schema: 'public', name: 'x\x1b]0;owned\x07', rows: 1, estimate: 1 };
    expect(compareTables([evil], [])).toEqual([
      'table public.x\\x1b]0;owned\\x07 is missing after the restore',
    ]);
    expect(compareTables([], [evil])).toEqual([
      'table public.x\\x1b]0;owned\\x07 appeared that the backup did not record',
    ]);
    // Matching still compares the names themselves.
    expect(compareTables([evil], [evil])).toEqual([]);
  });
});
