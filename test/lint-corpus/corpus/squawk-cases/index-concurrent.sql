-- expect: prefer-robust-stmts@4
-- squawk-only: nothing
-- opsbook-only: nothing
CREATE INDEX CONCURRENTLY "field_name_idx" ON "table_name" ("field_name");
