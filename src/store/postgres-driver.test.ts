import { describe, expect, it } from 'vitest';
import { toNumberedParams } from './postgres-driver.js';

describe('toNumberedParams', () => {
  it('numbers each placeholder in order, at the start, the end and side by side', () => {
    expect(toNumberedParams('?')).toBe('$1');
    expect(toNumberedParams('SELECT 1')).toBe('SELECT 1');
    expect(toNumberedParams('?,?')).toBe('$1,$2');
    expect(toNumberedParams('SELECT a FROM t WHERE a = ? AND b IN (?, ?) LIMIT ?')).toBe(
      'SELECT a FROM t WHERE a = $1 AND b IN ($2, $3) LIMIT $4',
    );
  });

  it('numbers a flush-sized VALUES list to the last placeholder, the same on a second call', () => {
    const rows = Array.from({ length: 2_000 }, () => '(?, ?, ?)').join(', ');
    const numbered = toNumberedParams(`INSERT INTO t (a, b, c) VALUES ${rows}`);
    expect(numbered.startsWith('INSERT INTO t (a, b, c) VALUES ($1, $2, $3), ($4, $5, $6)')).toBe(true);
    expect(numbered.endsWith('($5998, $5999, $6000)')).toBe(true);
    expect(numbered).not.toContain('?');
    expect(toNumberedParams(`INSERT INTO t (a, b, c) VALUES ${rows}`)).toBe(numbered);
  });
});
