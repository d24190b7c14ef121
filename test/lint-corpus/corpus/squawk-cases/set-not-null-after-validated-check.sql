-- expect: constraint-missing-not-valid@5
-- squawk-only: prefer-robust-stmts@4 (transaction-mode), prefer-robust-stmts@5 (transaction-mode), prefer-robust-stmts@6 (transaction-mode)
-- opsbook-only: constraint-missing-not-valid@5 (transaction-mode)
ALTER TABLE "core_recipe" ADD CONSTRAINT "foo_not_null" CHECK ("foo" IS NOT NULL) NOT VALID;
ALTER TABLE "core_recipe" VALIDATE CONSTRAINT "foo_not_null";
ALTER TABLE "core_recipe" ALTER COLUMN "foo" SET NOT NULL;
