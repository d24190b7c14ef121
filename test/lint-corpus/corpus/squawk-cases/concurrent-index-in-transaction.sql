-- expect: ban-concurrent-index-creation-in-transaction@5
-- squawk-only: prefer-robust-stmts@5 (transaction-mode)
-- opsbook-only: nothing
BEGIN;
CREATE UNIQUE INDEX CONCURRENTLY "field_name_idx" ON "table_name" ("field_name");
ALTER TABLE "table_name" ADD CONSTRAINT "field_name_id" UNIQUE USING INDEX "field_name_idx";
COMMIT;
