-- expect: ban-drop-column@4
-- squawk-only: prefer-robust-stmts@4 (transaction-mode)
-- opsbook-only: nothing
ALTER TABLE "bar_tbl" DROP COLUMN "foo_col" CASCADE;
