/**
 * The monitoring tables, versions 100-199 of both schemas (merged into the main lists). Times are epoch
 * milliseconds in integer columns: bucket arithmetic and comparisons are then the same on both backends.
 */
import type { Migration } from './migrations.js';

/** Append only: a released migration is never edited, a change is a new version. */
export const SQLITE_MONITORING_MIGRATIONS: Migration[] = [
  {
    version: 100,
    name: 'monitor schedule, instances, samples and rollups',
    sql: `
      CREATE TABLE monitor_schedule (
        monitor_id TEXT PRIMARY KEY,
        environment TEXT NOT NULL,
        service TEXT NOT NULL,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        target TEXT NOT NULL,
        interval_ms INTEGER NOT NULL,
        timeout_ms INTEGER NOT NULL,
        retries INTEGER NOT NULL,
        lease_ms INTEGER NOT NULL,
        next_due_at INTEGER NOT NULL,
        lease_owner TEXT,
        lease_until INTEGER,
        last_at INTEGER,
        last_outcome TEXT,
        last_latency_ms REAL,
        last_message TEXT
      );
      CREATE INDEX monitor_schedule_due ON monitor_schedule (environment, next_due_at);
      CREATE INDEX monitor_schedule_owner ON monitor_schedule (lease_owner);
      CREATE TABLE monitor_instances (
        instance_id TEXT PRIMARY KEY,
        environment TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        heartbeat_at INTEGER NOT NULL,
        info TEXT NOT NULL
      );
      CREATE TABLE monitor_samples (
        id INTEGER PRIMARY KEY,
        monitor_id TEXT NOT NULL,
        environment TEXT NOT NULL,
        service TEXT NOT NULL,
        at INTEGER NOT NULL,
        outcome TEXT NOT NULL,
        latency_ms REAL NOT NULL,
        status INTEGER,
        message TEXT,
        attempts INTEGER NOT NULL
      );
      CREATE INDEX monitor_samples_monitor ON monitor_samples (monitor_id, at);
      CREATE INDEX monitor_samples_service ON monitor_samples (environment, service, at);
      CREATE INDEX monitor_samples_at ON monitor_samples (at);
      CREATE TABLE monitor_rollups (
        monitor_id TEXT NOT NULL,
        resolution TEXT NOT NULL,
        bucket_start INTEGER NOT NULL,
        environment TEXT NOT NULL,
        service TEXT NOT NULL,
        total INTEGER NOT NULL,
        good INTEGER NOT NULL,
        degraded INTEGER NOT NULL,
        down INTEGER NOT NULL,
        latency_count INTEGER NOT NULL,
        latency_sum REAL NOT NULL,
        latency_min REAL,
        latency_max REAL,
        sketch TEXT NOT NULL,
        PRIMARY KEY (monitor_id, resolution, bucket_start)
      ) WITHOUT ROWID;
      CREATE INDEX monitor_rollups_service ON monitor_rollups (environment, service, resolution, bucket_start);
      CREATE INDEX monitor_rollups_age ON monitor_rollups (resolution, bucket_start);
    `,
  },
  {
    // Per-service counts beside the per-monitor rollups: uptime by service read a row per monitor and bucket,
    // millions a scrape at 20,000 monitors with an hour of history; this reads one per service and bucket.
    version: 101,
    name: 'per-service check counts per bucket',
    sql: `
      CREATE TABLE monitor_service_rollups (
        environment TEXT NOT NULL,
        resolution TEXT NOT NULL,
        bucket_start INTEGER NOT NULL,
        service TEXT NOT NULL,
        total INTEGER NOT NULL,
        good INTEGER NOT NULL,
        degraded INTEGER NOT NULL,
        down INTEGER NOT NULL,
        PRIMARY KEY (environment, resolution, bucket_start, service)
      ) WITHOUT ROWID;
      CREATE INDEX monitor_service_rollups_age ON monitor_service_rollups (resolution, bucket_start);
      INSERT INTO monitor_service_rollups (environment, resolution, bucket_start, service, total, good, degraded, down)
        SELECT environment, resolution, bucket_start, service, sum(total), sum(good), sum(degraded), sum(down)
        FROM monitor_rollups GROUP BY environment, resolution, bucket_start, service;
    `,
  },
  {
    // Every check claims its schedule row (lease_owner set) and completes it (cleared): with lease_owner indexed,
    // both writes also deleted and inserted an index entry. Only releasing an instance's claims at shutdown filtered
    // on it, and that reads the table once.
    version: 102,
    name: 'schedule writes without a lease owner index',
    sql: `DROP INDEX monitor_schedule_owner;`,
  },
];

export const POSTGRES_MONITORING_MIGRATIONS: Migration[] = [
  {
    version: 100,
    name: 'monitor schedule, instances, samples and rollups',
    sql: `
      CREATE TABLE monitor_schedule (
        monitor_id text PRIMARY KEY,
        environment text NOT NULL,
        service text NOT NULL,
        name text NOT NULL,
        kind text NOT NULL,
        target text NOT NULL,
        interval_ms bigint NOT NULL,
        timeout_ms bigint NOT NULL,
        retries integer NOT NULL,
        lease_ms bigint NOT NULL,
        next_due_at bigint NOT NULL,
        lease_owner text,
        lease_until bigint,
        last_at bigint,
        last_outcome text,
        last_latency_ms double precision,
        last_message text
      );
      CREATE INDEX monitor_schedule_due ON monitor_schedule (environment, next_due_at);
      CREATE INDEX monitor_schedule_owner ON monitor_schedule (lease_owner);
      CREATE TABLE monitor_instances (
        instance_id text PRIMARY KEY,
        environment text NOT NULL,
        started_at bigint NOT NULL,
        heartbeat_at bigint NOT NULL,
        info jsonb NOT NULL
      );
      CREATE TABLE monitor_samples (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        monitor_id text NOT NULL,
        environment text NOT NULL,
        service text NOT NULL,
        at bigint NOT NULL,
        outcome text NOT NULL,
        latency_ms double precision NOT NULL,
        status integer,
        message text,
        attempts integer NOT NULL
      );
      CREATE INDEX monitor_samples_monitor ON monitor_samples (monitor_id, at);
      CREATE INDEX monitor_samples_service ON monitor_samples (environment, service, at);
      CREATE INDEX monitor_samples_at ON monitor_samples (at);
      CREATE TABLE monitor_rollups (
        monitor_id text NOT NULL,
        resolution text NOT NULL,
        bucket_start bigint NOT NULL,
        environment text NOT NULL,
        service text NOT NULL,
        total integer NOT NULL,
        good integer NOT NULL,
        degraded integer NOT NULL,
        down integer NOT NULL,
        latency_count integer NOT NULL,
        latency_sum double precision NOT NULL,
        latency_min double precision,
        latency_max double precision,
        sketch jsonb NOT NULL,
        PRIMARY KEY (monitor_id, resolution, bucket_start)
      );
      CREATE INDEX monitor_rollups_service ON monitor_rollups (environment, service, resolution, bucket_start);
      CREATE INDEX monitor_rollups_age ON monitor_rollups (resolution, bucket_start);
    `,
  },
  {
    version: 101,
    name: 'per-service check counts per bucket',
    sql: `
      CREATE TABLE monitor_service_rollups (
        environment text NOT NULL,
        resolution text NOT NULL,
        bucket_start bigint NOT NULL,
        service text NOT NULL,
        -- bigint: a service's day at thousands of checks a second passes 2^31.
        total bigint NOT NULL,
        good bigint NOT NULL,
        degraded bigint NOT NULL,
        down bigint NOT NULL,
        PRIMARY KEY (environment, resolution, bucket_start, service)
      );
      CREATE INDEX monitor_service_rollups_age ON monitor_service_rollups (resolution, bucket_start);
      INSERT INTO monitor_service_rollups (environment, resolution, bucket_start, service, total, good, degraded, down)
        SELECT environment, resolution, bucket_start, service, sum(total), sum(good), sum(degraded), sum(down)
        FROM monitor_rollups GROUP BY environment, resolution, bucket_start, service;
    `,
  },
  {
    // Each check updates its schedule row twice (claim, completion) and its minute, hour and day rollups. With the
    // lease owner unindexed, a claim changes no indexed column, and free room on the page lets PostgreSQL keep the
    // new row version there without new index entries (a HOT update); so can a rollup's. At 20,000 monitors @ 10 s
    // no schedule update was HOT, and each check wrote about 2.5 KB of WAL.
    version: 102,
    name: 'schedule and rollup updates in place',
    sql: `
      DROP INDEX monitor_schedule_owner;
      ALTER TABLE monitor_schedule SET (fillfactor = 70);
      ALTER TABLE monitor_rollups SET (fillfactor = 80);
    `,
  },
];
