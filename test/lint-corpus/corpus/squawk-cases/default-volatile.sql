-- expect: adding-field-with-default@4, adding-field-with-default@5
-- squawk-only: prefer-robust-stmts@4 (transaction-mode), prefer-robust-stmts@5 (transaction-mode)
-- opsbook-only: nothing
ALTER TABLE "core_recipe" ADD COLUMN "foo" uuid DEFAULT gen_random_uuid();
ALTER TABLE "core_recipe" ADD COLUMN "bar" double precision DEFAULT random();
