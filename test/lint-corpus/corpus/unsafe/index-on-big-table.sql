-- expect: require-concurrent-index-creation@4
-- squawk-only: prefer-robust-stmts@4 (transaction-mode)
-- opsbook-only: nothing
CREATE INDEX users_email_idx ON users (email);
