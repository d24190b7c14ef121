-- expect: ban-drop-table@6
-- squawk-only: nothing
-- opsbook-only: nothing
BEGIN;
ALTER TABLE "core_foo" ADD COLUMN "answer_id" bigint NULL;
DROP TABLE "core_bar";
COMMIT;
