-- expect: renaming-column@4, renaming-table@5, ban-drop-column@6, ban-drop-table@7
-- squawk-only: prefer-robust-stmts@4 (transaction-mode), prefer-robust-stmts@5 (transaction-mode), prefer-robust-stmts@6 (transaction-mode), prefer-robust-stmts@7 (transaction-mode)
-- opsbook-only: nothing
ALTER TABLE customers RENAME COLUMN name TO full_name;
ALTER TABLE customers RENAME TO clients;
ALTER TABLE orders DROP COLUMN legacy_ref;
DROP TABLE audit_log_2019;
