-- expect: nothing
-- squawk-only: prefer-robust-stmts@5 (transaction-mode)
-- opsbook-only: nothing
-- The VALIDATE runs in its own migration, after the NOT VALID constraint was committed.
ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk;
