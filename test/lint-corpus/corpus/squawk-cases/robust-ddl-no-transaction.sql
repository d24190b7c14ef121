-- expect: prefer-robust-stmts@7, prefer-robust-stmts@8
-- squawk-only: prefer-robust-stmts@4 (transaction-mode), prefer-robust-stmts@5 (transaction-mode), prefer-robust-stmts@6 (transaction-mode)
-- opsbook-only: nothing
ALTER TABLE "core_foo" ADD COLUMN "answer_id" bigint NULL;
CREATE TABLE "core_bar" ("id" bigint PRIMARY KEY);
DROP TYPE foo;
CREATE INDEX CONCURRENTLY "core_foo_idx" ON "core_foo" ("answer_id");
DROP INDEX CONCURRENTLY "core_foo_old_idx";
