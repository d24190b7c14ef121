-- expect: nothing
-- squawk-only: nothing
-- opsbook-only: nothing
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "field_name_idx" ON "table_name" ("field_name");
