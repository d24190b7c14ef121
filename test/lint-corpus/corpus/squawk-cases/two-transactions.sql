-- expect: transaction-nesting@4, transaction-nesting@6, transaction-nesting@7, transaction-nesting@9
-- squawk-only: nothing
-- opsbook-only: transaction-nesting@4 (transaction-mode), transaction-nesting@6 (transaction-mode), transaction-nesting@7 (transaction-mode), transaction-nesting@9 (transaction-mode)
BEGIN;
SELECT 1;
COMMIT;
BEGIN;
SELECT 2;
COMMIT;
