import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModule, parseSync } from 'libpg-query';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileParser, instantiateParser, type ParseSync } from './pg-parser.js';

const CORPUS = join(import.meta.dirname, '../../test/lint-corpus/corpus');

/** What the package's own parseSync gives: the tree, or the error's message and position. */
function viaPackage(sql: string): unknown {
  try {
    return parseSync(sql);
  } catch (error) {
    const e = error as { message: string; sqlDetails?: { cursorPosition?: number } };
    return { message: e.message, cursorPosition: e.sqlDetails?.cursorPosition };
  }
}

function viaOurs(parse: ParseSync, sql: string): unknown {
  try {
    return parse(sql);
  } catch (error) {
    const e = error as { message: string; sqlDetails?: { cursorPosition?: number } };
    return { message: e.message, cursorPosition: e.sqlDetails?.cursorPosition };
  }
}

describe('instantiateParser', () => {
  let parse: ParseSync;
  beforeAll(async () => {
    await loadModule();
    parse = await instantiateParser(await compileParser());
  });

  it('gives the same trees as libpg-query on every file of the lint corpus', () => {
    const files = readdirSync(CORPUS, { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.sql'),
    );
    expect(files.length).toBeGreaterThan(50);
    for (const file of files) {
      const sql = readFileSync(join(CORPUS, file), 'utf8');
      if (sql.trim() === '') continue;
      expect(viaOurs(parse, sql), file).toEqual(viaPackage(sql));
    }
  });

  it('gives the same errors and byte positions, with multi-byte text before them', () => {
    for (const sql of [
      'SELEC 1;',
      "COMMENT ON TABLE t IS 'çà 日本 😀'; CREATE TABLE (",
      'SELECT \'ünïcode\' AS "naïve";',
      'CREATE TABLE t (id int);\n\nALTER TABLE t ADD COLUMN;',
    ]) {
      expect(viaOurs(parse, sql), sql).toEqual(viaPackage(sql));
    }
    expect(viaOurs(parse, 'SELEC 1;')).toMatchObject({ message: expect.stringContaining('syntax error') });
  });

  it('keeps parsing correctly after its memory grows', () => {
    const big = `${Array.from({ length: 20000 }, (_, i) => `INSERT INTO t VALUES (${i}, 'row ${i}');`).join('\n')}\n`;
    const tree = parse(big) as { stmts: unknown[] };
    expect(tree.stmts).toHaveLength(20000);
    expect(viaOurs(parse, 'SELECT 1;')).toEqual(viaPackage('SELECT 1;'));
  });
});
