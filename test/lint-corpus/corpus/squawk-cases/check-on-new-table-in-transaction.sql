-- expect: nothing
-- squawk-only: nothing
-- opsbook-only: nothing
BEGIN;
CREATE TABLE "core_foo" ("id" bigint NOT NULL PRIMARY KEY, "age" bigint NOT NULL);
ALTER TABLE "core_foo" ADD CONSTRAINT "age_restriction" CHECK ("age" >= 25);
COMMIT;
