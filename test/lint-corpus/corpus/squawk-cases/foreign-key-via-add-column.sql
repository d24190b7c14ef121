-- expect: adding-foreign-key-constraint@4
-- squawk-only: prefer-robust-stmts@4 (transaction-mode)
-- opsbook-only: nothing
ALTER TABLE "emails" ADD COLUMN "user_id" bigint REFERENCES "user" ("id");
