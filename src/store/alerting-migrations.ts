/**
 * The alerting tables, versions 200-299 of both schemas (merged into the main lists): alert rule state,
 * silences, and the notification outbox whose unique dedup key makes every enqueue idempotent.
 */
import type { Migration } from './migrations.js';

/** Append only: a released migration is never edited, a change is a new version. */
export const SQLITE_ALERTING_MIGRATIONS: Migration[] = [
  {
    version: 200,
    name: 'alert states, silences, notification outbox',
    sql: `
      CREATE TABLE alert_states (
        environment TEXT NOT NULL,
        rule_id TEXT NOT NULL,
        service TEXT NOT NULL,
        status TEXT NOT NULL,
        state TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (environment, rule_id, service)
      );
      CREATE TABLE alert_silences (
        id TEXT PRIMARY KEY,
        environment TEXT,
        matchers TEXT NOT NULL,
        starts_at TEXT NOT NULL,
        ends_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        comment TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX alert_silences_ends ON alert_silences (ends_at);
      CREATE TABLE notification_outbox (
        id TEXT PRIMARY KEY,
        dedup_key TEXT NOT NULL UNIQUE,
        environment TEXT NOT NULL,
        channel TEXT NOT NULL,
        payload TEXT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        due_at TEXT NOT NULL,
        lease_holder TEXT,
        lease_until TEXT,
        last_error TEXT,
        created_at TEXT NOT NULL,
        sent_at TEXT
      );
      CREATE INDEX notification_outbox_due ON notification_outbox (status, due_at);
    `,
  },
];

export const POSTGRES_ALERTING_MIGRATIONS: Migration[] = [
  {
    version: 200,
    name: 'alert states, silences, notification outbox',
    sql: `
      CREATE TABLE alert_states (
        environment text NOT NULL,
        rule_id text NOT NULL,
        service text NOT NULL,
        status text NOT NULL,
        state jsonb NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (environment, rule_id, service)
      );
      CREATE TABLE alert_silences (
        id text PRIMARY KEY,
        environment text,
        matchers jsonb NOT NULL,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        created_by text NOT NULL,
        comment text NOT NULL,
        created_at timestamptz NOT NULL
      );
      CREATE INDEX alert_silences_ends ON alert_silences (ends_at);
      CREATE TABLE notification_outbox (
        id text PRIMARY KEY,
        dedup_key text NOT NULL UNIQUE,
        environment text NOT NULL,
        channel text NOT NULL,
        payload jsonb NOT NULL,
        status text NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        due_at timestamptz NOT NULL,
        lease_holder text,
        lease_until timestamptz,
        last_error text,
        created_at timestamptz NOT NULL,
        sent_at timestamptz
      );
      CREATE INDEX notification_outbox_due ON notification_outbox (status, due_at);
    `,
  },
];
