-- expect: nothing
-- squawk-only: nothing
-- opsbook-only: nothing
SELECT 1;
ALTER TABLE "core_foo" ADD COLUMN IF NOT EXISTS "answer_id" bigint NULL;
ALTER TABLE "core_foo" DROP CONSTRAINT IF EXISTS "core_foo_idx";
CREATE INDEX CONCURRENTLY IF NOT EXISTS "core_foo_idx" ON "core_foo" ("answer_id");
