-- expect: disallowed-unique-constraint@4, adding-serial-primary-key-field@5
-- squawk-only: constraint-missing-not-valid@4 (not-valid-inapplicable), prefer-robust-stmts@4 (transaction-mode), constraint-missing-not-valid@5 (not-valid-inapplicable), prefer-robust-stmts@5 (transaction-mode)
-- opsbook-only: nothing
ALTER TABLE customers ADD CONSTRAINT customers_email_key UNIQUE (email);
ALTER TABLE line_items ADD PRIMARY KEY (id);
