-- expect: nothing
-- squawk-only: nothing
-- opsbook-only: nothing
BEGIN;
CREATE TABLE "core_foo" (
  "id" bigint NOT NULL PRIMARY KEY,
  "tenant_id" bigint NULL
);
CREATE INDEX "core_foo_tenant_id_idx" ON "core_foo" ("tenant_id");
COMMIT;
