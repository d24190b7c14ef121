-- expect: disallowed-unique-constraint@4
-- squawk-only: prefer-robust-stmts@4 (transaction-mode)
-- opsbook-only: nothing
ALTER TABLE foo ADD COLUMN bar text UNIQUE;
