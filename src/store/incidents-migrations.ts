/** The incident tables, versions 400-499 of both schemas (merged into the main lists). */
import type { Migration } from './migrations.js';

/** Append only: a released migration is never edited, a change is a new version. */
export const SQLITE_INCIDENTS_MIGRATIONS: Migration[] = [
  {
    version: 400,
    name: 'incidents and their timelines',
    sql: `
      CREATE TABLE incidents (
        id TEXT PRIMARY KEY,
        number INTEGER NOT NULL UNIQUE,
        environment TEXT NOT NULL,
        title TEXT NOT NULL,
        severity TEXT NOT NULL,
        state TEXT NOT NULL,
        services TEXT NOT NULL,
        commander TEXT,
        dedup_key TEXT,
        opened_at TEXT NOT NULL,
        acknowledged_at TEXT,
        acknowledged_by TEXT,
        resolved_at TEXT,
        summary TEXT,
        escalation TEXT,
        next_at TEXT,
        version INTEGER NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE UNIQUE INDEX incidents_open_dedup ON incidents (environment, dedup_key) WHERE resolved_at IS NULL;
      CREATE INDEX incidents_next ON incidents (environment, next_at);
      CREATE TABLE incident_timeline (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        incident_id TEXT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        message TEXT NOT NULL,
        actor TEXT,
        public INTEGER NOT NULL,
        data TEXT,
        key TEXT UNIQUE
      );
      CREATE INDEX incident_timeline_incident ON incident_timeline (incident_id, at, id);
    `,
  },
];

export const POSTGRES_INCIDENTS_MIGRATIONS: Migration[] = [
  {
    version: 400,
    name: 'incidents and their timelines',
    sql: `
      CREATE TABLE incidents (
        id text PRIMARY KEY,
        number integer NOT NULL UNIQUE,
        environment text NOT NULL,
        title text NOT NULL,
        severity text NOT NULL,
        state text NOT NULL,
        services jsonb NOT NULL,
        commander text,
        dedup_key text,
        opened_at timestamptz NOT NULL,
        acknowledged_at timestamptz,
        acknowledged_by text,
        resolved_at timestamptz,
        summary text,
        escalation jsonb,
        next_at timestamptz,
        version integer NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE UNIQUE INDEX incidents_open_dedup ON incidents (environment, dedup_key) WHERE resolved_at IS NULL;
      CREATE INDEX incidents_next ON incidents (environment, next_at);
      CREATE TABLE incident_timeline (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        incident_id text NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
        at timestamptz NOT NULL,
        kind text NOT NULL,
        message text NOT NULL,
        actor text,
        public integer NOT NULL,
        data jsonb,
        key text UNIQUE
      );
      CREATE INDEX incident_timeline_incident ON incident_timeline (incident_id, at, id);
    `,
  },
];
