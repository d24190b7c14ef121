-- expect: require-concurrent-reindex@4
-- squawk-only: nothing
-- opsbook-only: nothing
REINDEX INDEX "field_name_idx";
REINDEX TABLE CONCURRENTLY "table_name";
