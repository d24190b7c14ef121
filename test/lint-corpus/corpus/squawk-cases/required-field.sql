-- expect: adding-required-field@4
-- squawk-only: prefer-robust-stmts@4 (transaction-mode)
-- opsbook-only: nothing
ALTER TABLE "recipe" ADD COLUMN "public" boolean NOT NULL;
