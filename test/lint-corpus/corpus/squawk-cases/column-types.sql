-- expect: prefer-bigint-over-int@5, prefer-bigint-over-int@13, prefer-bigint-over-smallint@6, prefer-identity@5, prefer-identity@7, prefer-text-field@8, prefer-timestamp-tz@11, ban-char-field@10
-- squawk-only: nothing
-- opsbook-only: nothing
CREATE TABLE IF NOT EXISTS "core_bar" (
  "id" serial NOT NULL PRIMARY KEY,
  "small" smallint NOT NULL,
  "big_id" bigserial,
  "name" varchar(100) NOT NULL,
  "name_unbounded" varchar NOT NULL,
  "code" char(2),
  "seen_at" timestamp,
  "seen_at_tz" timestamptz,
  "ids" integer[]
);
