-- expect: transaction-nesting@4, transaction-nesting@5, transaction-nesting@7
-- squawk-only: nothing
-- opsbook-only: transaction-nesting@4 (transaction-mode), transaction-nesting@7 (transaction-mode)
BEGIN;
BEGIN;
SELECT 1;
COMMIT;
