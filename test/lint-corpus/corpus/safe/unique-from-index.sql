-- expect: nothing
-- squawk-only: prefer-robust-stmts@5 (transaction-mode)
-- opsbook-only: nothing
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS customers_email_idx ON customers (email);
ALTER TABLE customers ADD CONSTRAINT customers_email_key UNIQUE USING INDEX customers_email_idx;
