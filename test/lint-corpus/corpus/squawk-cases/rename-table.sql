-- expect: renaming-table@4
-- squawk-only: prefer-robust-stmts@4 (transaction-mode)
-- opsbook-only: nothing
ALTER TABLE "table_name" RENAME TO "new_table_name";
