-- expect: transaction-nesting@5
-- squawk-only: nothing
-- opsbook-only: nothing
SELECT 1;
COMMIT;
