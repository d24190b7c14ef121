-- expect: nothing
-- squawk-only: prefer-robust-stmts@4 (transaction-mode)
-- opsbook-only: nothing
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
