-- expect: require-concurrent-index-creation@4
-- squawk-only: prefer-robust-stmts@4 (transaction-mode)
-- opsbook-only: nothing
CREATE INDEX "field_name_idx" ON "table_name" ("field_name");
