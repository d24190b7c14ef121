-- expect: constraint-missing-not-valid@5
-- squawk-only: prefer-robust-stmts@4 (transaction-mode), prefer-robust-stmts@5 (transaction-mode)
-- opsbook-only: constraint-missing-not-valid@5 (transaction-mode)
ALTER TABLE "accounts" ADD CONSTRAINT "positive_balance" CHECK ("balance" >= 0) NOT VALID;
ALTER TABLE "accounts" VALIDATE CONSTRAINT "positive_balance";
