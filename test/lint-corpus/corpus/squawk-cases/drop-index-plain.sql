-- expect: require-concurrent-index-deletion@4
-- squawk-only: nothing
-- opsbook-only: nothing
DROP INDEX IF EXISTS "field_name_idx";
