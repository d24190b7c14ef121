-- expect: nothing
-- squawk-only: prefer-robust-stmts@4 (transaction-mode), prefer-robust-stmts@5 (transaction-mode)
-- opsbook-only: nothing
ALTER TABLE "recipe" ADD COLUMN "public" boolean NOT NULL DEFAULT true;
ALTER TABLE "recipe" ADD COLUMN "note" text;
