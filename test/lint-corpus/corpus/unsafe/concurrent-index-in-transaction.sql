-- expect: ban-concurrent-index-creation-in-transaction@5
-- squawk-only: nothing
-- opsbook-only: nothing
BEGIN;
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_idx ON orders (status);
COMMIT;
