-- expect: nothing
-- squawk-only: prefer-robust-stmts@4 (transaction-mode), prefer-robust-stmts@5 (transaction-mode)
-- opsbook-only: nothing
ALTER TABLE orders ADD COLUMN shipped_at timestamptz;
ALTER TABLE orders ADD COLUMN priority bigint NOT NULL DEFAULT 0;
COMMENT ON COLUMN orders.priority IS 'higher ships first';
