-- expect: adding-serial-primary-key-field@4
-- squawk-only: constraint-missing-not-valid@4 (not-valid-inapplicable), prefer-robust-stmts@4 (transaction-mode)
-- opsbook-only: nothing
ALTER TABLE items ADD PRIMARY KEY (id);
