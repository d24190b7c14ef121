-- expect: adding-field-with-default@4
-- squawk-only: prefer-robust-stmts@4 (transaction-mode)
-- opsbook-only: nothing
ALTER TABLE "core_recipe" ADD COLUMN "total" bigint GENERATED ALWAYS AS ("a" + "b") STORED;
