-- expect: nothing
-- squawk-only: nothing
-- opsbook-only: nothing
DROP INDEX CONCURRENTLY IF EXISTS orders_legacy_idx;
