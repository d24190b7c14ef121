-- expect: nothing
-- squawk-only: prefer-robust-stmts@5 (transaction-mode)
-- opsbook-only: nothing
-- PostgreSQL 12+: a validated CHECK (col IS NOT NULL) lets SET NOT NULL skip its scan.
ALTER TABLE orders ADD CONSTRAINT orders_status_not_null CHECK (status IS NOT NULL) NOT VALID;
