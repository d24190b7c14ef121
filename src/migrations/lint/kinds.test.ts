import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadParser, parseSqlSync } from '../parse-sql.js';
import { createRunContext, type FileContext } from './context.js';
import { RULES } from './rules/index.js';

const corpus = fileURLToPath(new URL('../../../test/lint-corpus/corpus', import.meta.url));
const files = readdirSync(corpus, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.sql'))
  .map((f) => join(corpus, f));

/** Statements of kinds the corpus lacks, each in a form some rule would flag if it looked. */
const EXTRA = `
TRUNCATE orders; CLUSTER orders USING orders_pkey; VACUUM FULL orders; REFRESH MATERIALIZED VIEW totals;
LOCK TABLE orders IN ACCESS EXCLUSIVE MODE; REINDEX TABLE orders; DROP DATABASE shop;
ALTER TABLE orders RENAME TO purchases; ALTER TABLE orders RENAME COLUMN a TO b;
CREATE TABLE copy AS SELECT id::int4 FROM orders; SELECT 1; INSERT INTO t VALUES (1); BEGIN; COMMIT;
ALTER INDEX orders_idx SET TABLESPACE slow; CREATE VIEW v AS SELECT 1; DROP INDEX orders_idx;`;

describe('the statement kinds each rule declares', () => {
  beforeAll(() => loadParser());

  it('cover every statement the rule finds something in: outside them it never does', () => {
    expect(files.length).toBeGreaterThan(50);
    const scoped = RULES.filter((rule) => rule.kinds);
    // Every rule but the two timeout rules, which look at any statement that takes a schema lock.
    expect(scoped.length).toBe(RULES.length - 2);
    const wrong: string[] = [];
    let checked = 0;
    for (const text of [...files.map((f) => readFileSync(f, 'utf8')), EXTRA]) {
      const parsed = parseSqlSync(text);
      for (const pg of [
        { major: 11, minor: 0 },
        { major: 14, minor: 2 },
        { major: 17, minor: 0 },
      ]) {
        for (const transactional of [true, false]) {
          const ctx: FileContext = {
            run: createRunContext({ pg, runnerTimeouts: { lock: false, statement: false } }),
            parsed,
            transactional,
            inTransaction: transactional,
            explicitTransaction: false,
            lockTimeoutSet: false,
            statementTimeoutSet: false,
            notValidInTransaction: new Set(),
          };
          for (const stmt of parsed.statements) {
            for (const rule of scoped) {
              if (rule.kinds?.includes(stmt.kind)) continue;
              checked++;
              const found = rule.check(stmt, ctx);
              if (found && (!Array.isArray(found) || found.length > 0))
                wrong.push(`${rule.name} found something in a ${stmt.kind}: ${stmt.text.slice(0, 60)}`);
            }
          }
        }
      }
    }
    // The check ran: statements of many kinds met rules that do not declare them.
    expect(checked).toBeGreaterThan(10_000);
    expect(wrong).toEqual([]);
  });
});
