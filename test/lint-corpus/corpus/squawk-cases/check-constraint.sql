-- expect: constraint-missing-not-valid@4
-- squawk-only: prefer-robust-stmts@4 (transaction-mode)
-- opsbook-only: nothing
ALTER TABLE "accounts" ADD CONSTRAINT "positive_balance" CHECK ("balance" >= 0);
