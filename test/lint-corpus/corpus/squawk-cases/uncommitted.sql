-- expect: transaction-nesting@4, ban-uncommitted-transaction@4
-- squawk-only: nothing
-- opsbook-only: transaction-nesting@4 (transaction-mode)
BEGIN;
SELECT 1;
