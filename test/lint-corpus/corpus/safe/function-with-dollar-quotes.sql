-- expect: nothing
-- squawk-only: nothing
-- opsbook-only: nothing
-- A trigger function whose body contains semicolons: the parser, not a regex, splits the file.
CREATE OR REPLACE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now(); -- ; inside the body
  RETURN NEW;
END;
$$;
DO $$ BEGIN RAISE NOTICE 'migrating; please wait'; END $$;
INSERT INTO settings (key, value) VALUES ('motd', 'Hello; world') ON CONFLICT (key) DO NOTHING;
