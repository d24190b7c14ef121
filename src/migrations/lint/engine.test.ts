import { describe, expect, it } from 'vitest';
import { decideExecutionMode } from '../execution-mode.js';
import { parseSql } from '../parse-sql.js';
import { type LintOptions, lintSources } from './index.js';

async function lint(sql: string | string[], options: LintOptions = {}) {
  const texts = Array.isArray(sql) ? sql : [sql];
  const result = await lintSources(
    texts.map((text, i) => ({ file: `${i + 1}.sql`, text })),
    options,
  );
  return result.diagnostics.map(
    (d) =>
      `${d.location?.file}:${d.location?.line}:${d.location?.column} ${d.severity} ${d.code.replace('migration/', '')}`,
  );
}

describe('statement splitting', () => {
  it('splits on the parser offsets, keeping semicolons inside dollar quotes and strings', async () => {
    const parsed = await parseSql("SELECT 'a;b';\nDO $$ BEGIN PERFORM 1; END $$;\n-- done; really\nSELECT 2");
    expect(parsed.statements.map((s) => s.text)).toEqual([
      "SELECT 'a;b'",
      'DO $$ BEGIN PERFORM 1; END $$',
      'SELECT 2',
    ]);
  });

  it('reports columns in characters when the file has multi-byte text before the statement', async () => {
    expect(await lint("-- ünïcödé\nSELECT 'é'; CREATE INDEX i ON t (c);")).toEqual([
      '1.sql:2:31 error require-concurrent-index-creation',
    ]);
  });

  it('warns about a file with no statement, which the runner would record as applied for nothing', async () => {
    expect(await lint(['-- This is an empty migration.\n', '', 'SELECT 1;'])).toEqual([
      '1.sql:1:1 warning empty-file',
      '2.sql:1:1 warning empty-file',
    ]);
    expect(await lint('', { ruleSeverity: { 'empty-file': 'off' } })).toEqual([]);
  });

  it("leaves an engine command's empty output alone: that migration runs code, not SQL", async () => {
    const result = await lintSources([
      { file: 'manage.py sqlmigrate app 0002', text: '--\n-- Raw Python operation\n--\n', generated: true },
    ]);
    expect(result.diagnostics).toEqual([]);
  });

  it('reports a syntax error at its position', async () => {
    expect(await lint('SELECT 1;\nALTER TABEL t ADD COLUMN c int;')).toEqual([
      '1.sql:2:7 error syntax-error',
    ]);
  });
});

describe('execution mode', () => {
  const mode = async (sql: string) => decideExecutionMode(await parseSql(sql), { major: 15, minor: 0 });

  it('runs a file in one transaction unless a statement cannot run in one', async () => {
    expect((await mode('ALTER TABLE t ADD COLUMN c text;')).transactional).toBe(true);
    expect(await mode('SELECT 1; CREATE INDEX CONCURRENTLY i ON t (c);')).toMatchObject({
      transactional: false,
    });
    expect((await mode('-- opsbook:no-transaction\nUPDATE t SET c = 1 WHERE id < 10;')).transactional).toBe(
      false,
    );
  });

  it('drops a BEGIN/COMMIT pair around the whole file, but keeps it around a concurrent build', async () => {
    expect((await mode('BEGIN; SELECT 1; SELECT 2; COMMIT;')).statements.map((s) => s.text)).toEqual([
      'SELECT 1',
      'SELECT 2',
    ]);
    expect((await mode('BEGIN; CREATE INDEX CONCURRENTLY i ON t (c); COMMIT;')).statements).toHaveLength(3);
  });
});

describe('inline suppressions and severities', () => {
  const sql =
    'CREATE INDEX a ON t (c);\n-- opsbook-ignore require-concurrent-index-creation: t has 10 rows\nCREATE INDEX b ON t (c);\nCREATE INDEX c ON t (c);';

  it('silences a rule for the next statement only', async () => {
    expect(await lint(sql)).toEqual([
      '1.sql:1:19 error require-concurrent-index-creation',
      '1.sql:4:19 error require-concurrent-index-creation',
    ]);
  });

  it('silences a rule for the whole file and accepts the migration/ prefix', async () => {
    expect(await lint(`-- opsbook-ignore-file migration/require-concurrent-index-creation\n${sql}`)).toEqual(
      [],
    );
  });

  it('warns about unknown rule names in a suppression', async () => {
    expect(await lint('-- opsbook-ignore no-such-rule\nSELECT 1;')).toEqual([
      '1.sql:1:1 warning unknown-ignore',
    ]);
  });

  it('applies per-rule severity overrides', async () => {
    expect(await lint(sql, { ruleSeverity: { 'require-concurrent-index-creation': 'warning' } })).toEqual([
      '1.sql:1:19 warning require-concurrent-index-creation',
      '1.sql:4:19 warning require-concurrent-index-creation',
    ]);
    expect(
      await lint(sql, { ruleSeverity: { 'migration/require-concurrent-index-creation': 'off' } }),
    ).toEqual([]);
  });
});

describe('context', () => {
  it('treats tables created by an earlier file of the same run as new', async () => {
    const files = [
      'CREATE TABLE t (id bigint);',
      'CREATE INDEX t_id ON t (id);\nALTER TABLE t ADD COLUMN c text NOT NULL;',
    ];
    expect(await lint(files, { oneRun: true })).toEqual([]);
    expect(await lint(files)).toEqual([
      '2.sql:1:22 error require-concurrent-index-creation',
      '2.sql:2:26 error adding-required-field',
    ]);
  });

  it('accepts SET NOT NULL after a CHECK validated by an earlier file, from PostgreSQL 12 on', async () => {
    const files = [
      'ALTER TABLE t ADD CONSTRAINT c_nn CHECK (c IS NOT NULL) NOT VALID;',
      'ALTER TABLE t VALIDATE CONSTRAINT c_nn;',
      'ALTER TABLE t ALTER COLUMN c SET NOT NULL;',
    ];
    expect(await lint(files, { oneRun: true, pg: { major: 12, minor: 0 } })).toEqual([]);
    expect(await lint(files, { oneRun: true, pg: { major: 11, minor: 0 } })).toEqual([
      '3.sql:1:1 error adding-not-nullable-field',
    ]);
  });

  it('knows which defaults rewrite the table in each Postgres version', async () => {
    const sql =
      "ALTER TABLE t ADD COLUMN c text DEFAULT 'x';\nALTER TABLE t ADD COLUMN d timestamptz DEFAULT clock_timestamp();";
    expect(await lint(sql, { pg: { major: 10, minor: 0 } })).toEqual([
      '1.sql:1:33 error adding-field-with-default',
      '1.sql:2:40 error adding-field-with-default',
    ]);
    expect(await lint(sql, { pg: { major: 11, minor: 0 } })).toEqual([
      '1.sql:2:40 error adding-field-with-default',
    ]);
  });

  it('flags concurrent builds on the PostgreSQL 14 releases that corrupt them', async () => {
    const sql = 'CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (c);';
    expect(await lint(sql, { pg: { major: 14, minor: 2 } })).toEqual([
      '1.sql:1:1 error concurrent-index-corruption-risk',
    ]);
    expect(await lint(sql, { pg: { major: 14, minor: 4 } })).toEqual([]);
  });

  it('asks for timeouts only when the runner does not set them', async () => {
    const sql = 'ALTER TABLE t ADD COLUMN c text;';
    expect(await lint(sql)).toEqual([]);
    expect(await lint(sql, { runnerTimeouts: { lock: false, statement: true } })).toEqual([
      '1.sql:1:1 warning require-lock-timeout',
    ]);
  });
});

describe('heavy table locks beyond the forms squawk knows', () => {
  const heavy = async (sql: string, options: LintOptions = {}) =>
    (await lint(sql, options)).filter((l) => l.includes('heavy-table-lock'));

  it('flags every statement that holds ACCESS EXCLUSIVE or SHARE on an existing table while it works', async () => {
    const statements = [
      'TRUNCATE orders;',
      'CLUSTER orders USING orders_pkey;',
      'VACUUM FULL orders;',
      'REFRESH MATERIALIZED VIEW order_totals;',
      'LOCK TABLE orders IN SHARE MODE;',
      'ALTER TABLE orders SET TABLESPACE slow;',
      'ALTER TABLE orders SET UNLOGGED;',
      'ALTER TABLE orders SET ACCESS METHOD heap;',
      'ALTER TABLE orders DETACH PARTITION orders_2020;',
      'ALTER TABLE orders ADD CONSTRAINT no_overlap EXCLUDE USING gist (during WITH &&);',
      'ALTER TABLE orders ADD COLUMN qty int CHECK (qty > 0);',
      'ALTER INDEX orders_pkey SET TABLESPACE slow;',
      'ALTER TABLE orders ATTACH PARTITION orders_2024 FOR VALUES IN (2024);',
    ];
    for (const sql of statements) expect(await heavy(sql), sql).toHaveLength(1);
  });

  it('leaves the online forms, lighter locks and new tables alone', async () => {
    for (const sql of [
      'REFRESH MATERIALIZED VIEW CONCURRENTLY order_totals;',
      'LOCK TABLE orders IN ROW EXCLUSIVE MODE;',
      'VACUUM orders;',
      'ALTER TABLE orders DETACH PARTITION orders_2020 CONCURRENTLY;',
      'CREATE TABLE orders_2025 (LIKE orders); ALTER TABLE orders ATTACH PARTITION orders_2025 FOR VALUES IN (2025);',
      'CREATE TABLE t (id bigint); TRUNCATE t; ALTER TABLE t SET UNLOGGED;',
    ]) {
      expect(await heavy(sql), sql).toEqual([]);
    }
  });

  it('ATTACH PARTITION from 12: names the partition it locks and scans, not the parent', async () => {
    const attach = await lintSources(
      [{ file: 'a.sql', text: 'ALTER TABLE orders ATTACH PARTITION orders_2024 FOR VALUES IN (2024);' }],
      { pg: { major: 16, minor: 0 } },
    );
    const found = attach.diagnostics.find((d) => d.code === 'migration/heavy-table-lock');
    expect(found?.message).toMatch(/holds ACCESS EXCLUSIVE on "orders_2024"/);
    expect(found?.hint).toMatch(/CHECK constraint matching the bound/);
  });

  it('knows the version: DETACH CONCURRENTLY from 14, a lighter parent lock for ATTACH from 12', async () => {
    const detach = await lintSources([{ file: 'a.sql', text: 'ALTER TABLE p DETACH PARTITION c;' }], {
      pg: { major: 13, minor: 0 },
    });
    expect(detach.diagnostics.find((d) => d.code === 'migration/heavy-table-lock')?.hint).toMatch(
      /PostgreSQL 14 adds DETACH PARTITION/,
    );
    expect(
      await heavy('ALTER TABLE p ATTACH PARTITION c FOR VALUES IN (1);', { pg: { major: 11, minor: 0 } }),
    ).toHaveLength(1);
  });
});
