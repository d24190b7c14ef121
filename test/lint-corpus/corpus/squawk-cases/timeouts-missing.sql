-- expect: nothing
-- squawk-only: nothing
-- opsbook-only: nothing
CREATE TABLE IF NOT EXISTS "t" ("id" bigint);
ALTER TABLE "accounts" ADD COLUMN IF NOT EXISTS "note" text;
