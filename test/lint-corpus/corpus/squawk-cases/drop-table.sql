-- expect: ban-drop-table@4, ban-drop-table@5
-- squawk-only: prefer-robust-stmts@4 (transaction-mode)
-- opsbook-only: nothing
DROP TABLE "table_name";
DROP TABLE IF EXISTS "table_name";
