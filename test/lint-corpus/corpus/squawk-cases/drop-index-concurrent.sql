-- expect: nothing
-- squawk-only: nothing
-- opsbook-only: nothing
DROP INDEX CONCURRENTLY IF EXISTS "field_name_idx";
