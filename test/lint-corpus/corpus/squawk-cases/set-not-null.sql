-- expect: adding-not-nullable-field@4
-- squawk-only: prefer-robust-stmts@4 (transaction-mode)
-- opsbook-only: nothing
ALTER TABLE "core_recipe" ALTER COLUMN "foo" SET NOT NULL;
