-- expect: disallowed-unique-constraint@4
-- squawk-only: constraint-missing-not-valid@4 (not-valid-inapplicable), prefer-robust-stmts@4 (transaction-mode)
-- opsbook-only: nothing
ALTER TABLE table_name ADD CONSTRAINT field_name_constraint UNIQUE (field_name);
