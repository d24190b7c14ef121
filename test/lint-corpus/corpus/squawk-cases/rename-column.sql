-- expect: renaming-column@4
-- squawk-only: prefer-robust-stmts@4 (transaction-mode)
-- opsbook-only: nothing
ALTER TABLE "table_name" RENAME COLUMN "column_name" TO "new_column_name";
