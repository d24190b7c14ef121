-- expect: nothing
-- squawk-only: prefer-robust-stmts@4 (transaction-mode), prefer-robust-stmts@8 (transaction-mode), require-concurrent-index-creation@8 (new-table)
-- opsbook-only: nothing
CREATE TABLE "core_foo" (
  "id" bigint NOT NULL PRIMARY KEY,
  "tenant_id" bigint NULL
);
CREATE INDEX "core_foo_tenant_id_idx" ON "core_foo" ("tenant_id");
