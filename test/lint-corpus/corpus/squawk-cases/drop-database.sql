-- expect: ban-drop-database@4
-- squawk-only: nothing
-- opsbook-only: nothing
DROP DATABASE "table_name";
