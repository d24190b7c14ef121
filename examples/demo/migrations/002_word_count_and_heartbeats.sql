-- The worker's output per note (nullable, no default: adding it rewrites nothing and locks only briefly).
ALTER TABLE notes ADD COLUMN word_count bigint;

-- One row per worker, updated every few seconds; the API's deep health reads its age.
CREATE TABLE worker_heartbeats (
  worker text PRIMARY KEY,
  pid bigint,
  beat_at timestamptz NOT NULL DEFAULT now()
);
