-- expect: adding-foreign-key-constraint@4, constraint-missing-not-valid@4, adding-not-nullable-field@5
-- squawk-only: prefer-robust-stmts@4 (transaction-mode), prefer-robust-stmts@5 (transaction-mode)
-- opsbook-only: nothing
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);
ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL;
