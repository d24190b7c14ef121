-- expect: prefer-bigint-over-int@4
-- squawk-only: prefer-robust-stmts@4 (transaction-mode), prefer-robust-stmts@5 (transaction-mode), prefer-robust-stmts@6 (transaction-mode), prefer-robust-stmts@7 (transaction-mode), prefer-robust-stmts@8 (transaction-mode)
-- opsbook-only: nothing
ALTER TABLE "core_recipe" ADD COLUMN "foo" integer DEFAULT 10;
ALTER TABLE "core_recipe" ADD COLUMN "created" timestamptz DEFAULT now();
ALTER TABLE "core_recipe" ADD COLUMN "tags" text[] DEFAULT ARRAY['a', 'b']::text[];
ALTER TABLE "core_recipe" ADD COLUMN "meta" jsonb DEFAULT '{}'::jsonb;
ALTER TABLE "core_recipe" ADD COLUMN "flag" boolean DEFAULT false;
