-- expect: adding-required-field@4
-- squawk-only: prefer-robust-stmts@4 (transaction-mode)
-- opsbook-only: nothing
ALTER TABLE orders ADD COLUMN status text NOT NULL;
