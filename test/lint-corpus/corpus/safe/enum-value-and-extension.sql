-- expect: nothing
-- squawk-only: nothing
-- opsbook-only: nothing
CREATE EXTENSION IF NOT EXISTS pgcrypto;
ALTER TYPE order_status ADD VALUE IF NOT EXISTS 'refunded' AFTER 'paid';
