-- expect: prefer-bigint-over-int@4, changing-column-type@5, prefer-text-field@5
-- squawk-only: prefer-robust-stmts@5 (transaction-mode)
-- opsbook-only: nothing
ALTER TABLE "core_bar" ADD COLUMN IF NOT EXISTS "count" int;
ALTER TABLE "core_bar" ALTER COLUMN "name" TYPE varchar(200);
