-- expect: nothing
-- squawk-only: prefer-robust-stmts@4 (transaction-mode), prefer-robust-stmts@10 (transaction-mode), require-concurrent-index-creation@10 (new-table), constraint-missing-not-valid@11 (new-table), prefer-robust-stmts@11 (transaction-mode)
-- opsbook-only: nothing
CREATE TABLE accounts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text NOT NULL,
  display_name text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX accounts_email_key ON accounts (lower(email));
ALTER TABLE accounts ADD CONSTRAINT accounts_email_length CHECK (char_length(email) <= 320);
