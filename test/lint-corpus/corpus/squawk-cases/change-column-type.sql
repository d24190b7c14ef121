-- expect: changing-column-type@4
-- squawk-only: prefer-robust-stmts@4 (transaction-mode)
-- opsbook-only: nothing
ALTER TABLE "core_recipe" ALTER COLUMN "edits" TYPE text USING "edits"::text;
