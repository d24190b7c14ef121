-- expect: nothing
-- squawk-only: nothing
-- opsbook-only: nothing
BEGIN;
CREATE TABLE "emails" ("id" bigint PRIMARY KEY, "user_id" bigint);
ALTER TABLE "emails" ADD CONSTRAINT "fk_user" FOREIGN KEY ("user_id") REFERENCES "user" ("id");
COMMIT;
