-- expect: prefer-bigint-over-int@5, prefer-identity@5, prefer-text-field@6, prefer-timestamp-tz@8, ban-char-field@7
-- squawk-only: prefer-robust-stmts@4 (transaction-mode)
-- opsbook-only: nothing
CREATE TABLE sessions (
  id serial PRIMARY KEY,
  token varchar(255) NOT NULL,
  country char(2),
  expires_at timestamp NOT NULL
);
