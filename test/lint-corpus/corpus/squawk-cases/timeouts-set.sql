-- expect: nothing
-- squawk-only: nothing
-- opsbook-only: nothing
SET lock_timeout = '1s';
SET statement_timeout = '5s';
ALTER TABLE "accounts" ADD COLUMN IF NOT EXISTS "note" text;
