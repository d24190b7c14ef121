/**
 * Writing history: raw samples plus minute, hour and day rollups, upserted per bucket in the same
 * transaction. The database merges an existing bucket with the new counts and sketch bins itself (sums
 * per JSON key), so instances writing the same bucket never lose each other's checks. And pruning.
 */

import type { Redactor } from '../redact/index.js';
import { LatencySketch } from '../sketch/index.js';
import { batchWithRetry, rowStatements, toMs } from './monitoring-sql.js';
import { type MonitoringStore, type NewSample, RESOLUTION_MS, type Resolution } from './monitoring-types.js';
import type { SqlExecutor, SqlStatement } from './sql-executor.js';
import { MERGE_BINS } from './sqlite-functions.js';

type HistoryWriter = Pick<MonitoringStore, 'recordSamples' | 'prune'> & {
  /** The statements that write these samples and their rollups, to run in a caller's transaction. */
  sampleStatements(samples: readonly NewSample[]): SqlStatement[];
};

export interface HistoryOptions {
  redactor: Redactor;
  now: () => Date;
}

/** Enough to say why a check failed; a whole error page is not a sample. */
const MAX_MESSAGE = 500;

interface BucketDelta {
  monitorId: string;
  resolution: Resolution;
  start: number;
  environment: string;
  service: string;
  good: number;
  degraded: number;
  down: number;
  sketch: LatencySketch;
}

/** The JSON-merge of two bins maps, written for each backend's JSON functions. */
function mergeSketchSql(backend: SqlExecutor['backend']): string {
  return backend === 'postgres'
    ? // Only the new row's keys are summed, then laid over the stored bins: a flush mostly adds one check's bin to a
      // bucket of dozens. Re-aggregating every stored key took twice as long: 62 against 31 ms per 1,000 upserts
      // into buckets of 40 bins, and the engine upserts 6,000 a second at 2,000 checks/s.
      `r.sketch || COALESCE((SELECT jsonb_object_agg(e.key, COALESCE((r.sketch ->> e.key)::bigint, 0) + e.value::bigint)
         FROM jsonb_each_text(excluded.sketch) AS e), '{}'::jsonb)`
    : `${MERGE_BINS}(r.sketch, excluded.sketch)`;
}

/** The service rollups older than each resolution's cutoff (minute, hour, day), as the monitors' are pruned. */
const SERVICE_PRUNE = `(resolution = 'minute' AND bucket_start < ?) OR (resolution = 'hour' AND bucket_start < ?)
  OR (resolution = 'day' AND bucket_start < ?)`;

const pick = (op: '<' | '>', column: string) =>
  `CASE WHEN excluded.${column} IS NULL OR (r.${column} IS NOT NULL AND r.${column} ${op}= excluded.${column})
     THEN r.${column} ELSE excluded.${column} END`;

export function createHistoryWriter(db: SqlExecutor, { redactor, now }: HistoryOptions): HistoryWriter {
  const samplesTable = db.table('monitor_samples');
  const rollups = db.table('monitor_rollups');
  const serviceRollups = db.table('monitor_service_rollups');
  const upsertTail = `ON CONFLICT (monitor_id, resolution, bucket_start) DO UPDATE SET
    total = r.total + excluded.total, good = r.good + excluded.good,
    degraded = r.degraded + excluded.degraded, down = r.down + excluded.down,
    latency_count = r.latency_count + excluded.latency_count,
    latency_sum = r.latency_sum + excluded.latency_sum,
    latency_min = ${pick('<', 'latency_min')}, latency_max = ${pick('>', 'latency_max')},
    sketch = ${mergeSketchSql(db.backend)}`;

  const sampleStatements = (samples: readonly NewSample[]): SqlStatement[] => {
    const rows = samples.map((s) => normalise(s, redactor));
    const statements: SqlStatement[] = rowStatements(db, rows, {
      types: ['text', 'text', 'text', 'bigint', 'text', 'double precision', 'integer', 'text', 'integer'],
      sql: (source) =>
        `INSERT INTO ${samplesTable} (monitor_id, environment, service, at, outcome, latency_ms, status, message, attempts)
            ${source}`,
      // Pushed, not mapped to arrays: an array per row was most of this function's time, on the engine's main thread.
      push: (r, out) =>
        out.push(
          r.monitorId,
          r.environment,
          r.service,
          r.at,
          r.outcome,
          r.latencyMs,
          r.status,
          r.message,
          r.attempts,
        ),
      sqliteRows: 250,
    });
    // One row per bucket, in key order: concurrent writers then lock rows in the same order.
    const deltas = aggregate(rows).sort(
      (a, b) => compare(a.monitorId, b.monitorId) || compare(a.resolution, b.resolution) || a.start - b.start,
    );
    // Deltas that share a sketch (a monitor's minute, hour and day) share its JSON too.
    const binsJson = new Map<LatencySketch, string>();
    const jsonOf = (sketch: LatencySketch) => {
      let json = binsJson.get(sketch);
      if (json === undefined) {
        json = sketch.binsJson();
        binsJson.set(sketch, json);
      }
      return json;
    };
    statements.push(
      ...rowStatements(db, deltas, {
        types: [
          'text',
          'text',
          'bigint',
          'text',
          'text',
          'integer',
          'integer',
          'integer',
          'integer',
          'integer',
          'double precision',
          'double precision',
          'double precision',
          'jsonb',
        ],
        sql: (source) =>
          `INSERT INTO ${rollups} AS r (monitor_id, resolution, bucket_start, environment, service, total, good, degraded,
              down, latency_count, latency_sum, latency_min, latency_max, sketch)
            ${source} ${upsertTail}`,
        push: (d, out) => {
          const sketch = d.sketch;
          const empty = sketch.count === 0;
          out.push(
            d.monitorId,
            d.resolution,
            d.start,
            d.environment,
            d.service,
            d.good + d.degraded + d.down,
            d.good,
            d.degraded,
            d.down,
            sketch.count,
            sketch.sum,
            empty ? null : sketch.min,
            empty ? null : sketch.max,
            jsonOf(sketch),
          );
        },
        sqliteRows: 100,
      }),
    );
    // The same counts per service, in key order too. Every writer's flush takes these rows after its monitor
    // rows, so concurrent writers lock in one global order.
    const services = [...serviceDeltas(deltas).values()].sort(
      (a, b) =>
        compare(a.environment, b.environment) ||
        compare(a.resolution, b.resolution) ||
        a.start - b.start ||
        compare(a.service, b.service),
    );
    statements.push(
      ...rowStatements(db, services, {
        types: ['text', 'text', 'bigint', 'text', 'bigint', 'bigint', 'bigint', 'bigint'],
        sql: (source) =>
          `INSERT INTO ${serviceRollups} AS r (environment, resolution, bucket_start, service, total, good, degraded, down)
            ${source}
            ON CONFLICT (environment, resolution, bucket_start, service) DO UPDATE SET
              total = r.total + excluded.total, good = r.good + excluded.good,
              degraded = r.degraded + excluded.degraded, down = r.down + excluded.down`,
        push: (d, out) =>
          out.push(
            d.environment,
            d.resolution,
            d.start,
            d.service,
            d.good + d.degraded + d.down,
            d.good,
            d.degraded,
            d.down,
          ),
        sqliteRows: 250,
      }),
    );
    return statements;
  };

  return {
    sampleStatements,

    async recordSamples(samples) {
      if (samples.length) await batchWithRetry(db, sampleStatements(samples));
    },

    async prune(retention, at = now()) {
      const nowMs = toMs(at);
      const cutoffs = {
        raw: nowMs - retention.raw,
        minute: nowMs - retention.minute,
        hour: nowMs - retention.hour,
        day: nowMs - retention.day,
      };
      if (db.backend === 'postgres') {
        // A transaction-scoped advisory lock taken by the statement itself: while one instance prunes,
        // another's attempt deletes nothing and reports pruned: false. Released at commit.
        const held = '(SELECT held FROM role)';
        const rows = await db.query(
          `WITH role AS (SELECT pg_try_advisory_xact_lock(hashtextextended(?, 0)) AS held),
           raw AS (DELETE FROM ${samplesTable} WHERE at < ? AND ${held} RETURNING 1),
           minute AS (DELETE FROM ${rollups} WHERE resolution = 'minute' AND bucket_start < ? AND ${held} RETURNING 1),
           hour AS (DELETE FROM ${rollups} WHERE resolution = 'hour' AND bucket_start < ? AND ${held} RETURNING 1),
           day AS (DELETE FROM ${rollups} WHERE resolution = 'day' AND bucket_start < ? AND ${held} RETURNING 1),
           services AS (DELETE FROM ${serviceRollups} WHERE (${SERVICE_PRUNE}) AND ${held} RETURNING 1)
           SELECT ${held} AS held, (SELECT count(*) FROM raw) AS raw, (SELECT count(*) FROM minute) AS minute,
             (SELECT count(*) FROM hour) AS hour, (SELECT count(*) FROM day) AS day`,
          [
            `opsbook:monitoring:prune:${rollups}`,
            cutoffs.raw,
            cutoffs.minute,
            cutoffs.hour,
            cutoffs.day,
            cutoffs.minute,
            cutoffs.hour,
            cutoffs.day,
          ],
        );
        const r = rows[0] ?? {};
        return {
          pruned: r.held === true,
          deleted: { raw: Number(r.raw), minute: Number(r.minute), hour: Number(r.hour), day: Number(r.day) },
        };
      }
      const changes = 'SELECT changes() AS n';
      const results = await db.batch([
        { sql: `DELETE FROM ${samplesTable} WHERE at < ?`, params: [cutoffs.raw] },
        { sql: changes },
        ...(['minute', 'hour', 'day'] as const).flatMap((resolution) => [
          {
            sql: `DELETE FROM ${rollups} WHERE resolution = ? AND bucket_start < ?`,
            params: [resolution, cutoffs[resolution]],
          },
          { sql: changes },
        ]),
        {
          sql: `DELETE FROM ${serviceRollups} WHERE ${SERVICE_PRUNE}`,
          params: [cutoffs.minute, cutoffs.hour, cutoffs.day],
        },
      ]);
      const n = (i: number) => Number(results[i]?.[0]?.n ?? 0);
      return { pruned: true, deleted: { raw: n(1), minute: n(3), hour: n(5), day: n(7) } };
    },
  };
}

/** Code-unit order, the same in every process (localeCompare depends on the locale). */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function normalise(s: NewSample, redactor: Redactor) {
  return {
    monitorId: s.monitorId,
    environment: s.environment,
    service: s.service,
    at: toMs(s.at),
    outcome: s.outcome,
    latencyMs: Math.max(0, s.latencyMs),
    status: s.status ?? null,
    message: s.message ? redactor.redact(s.message).slice(0, MAX_MESSAGE) : null,
    attempts: s.attempts ?? 1,
  };
}

type ServiceDelta = Omit<BucketDelta, 'monitorId' | 'sketch'>;

/** The monitors' deltas summed per (environment, service, resolution, bucket). */
function serviceDeltas(deltas: readonly BucketDelta[]): Map<string, ServiceDelta> {
  const out = new Map<string, ServiceDelta>();
  for (const d of deltas) {
    const key = `${d.environment}\u0000${d.service}\u0000${d.resolution}\u0000${d.start}`;
    const into = out.get(key);
    if (!into) {
      const { environment, service, resolution, start, good, degraded, down } = d;
      out.set(key, { environment, service, resolution, start, good, degraded, down });
      continue;
    }
    into.good += d.good;
    into.degraded += d.degraded;
    into.down += d.down;
  }
  return out;
}

/**
 * Folds the samples into one delta per (monitor, resolution, bucket): minutes from the samples, then hours from the
 * minutes and days from the hours. A flush mostly holds one check per monitor, so its hour and day deltas are its
 * minute delta again: they share its sketch (one sketch and one JSON where there were three) until a second delta
 * folds in, which copies it first.
 */
function aggregate(rows: ReturnType<typeof normalise>[]): BucketDelta[] {
  const minutes = new Map<string, BucketDelta>();
  for (const row of rows) {
    const start = Math.floor(row.at / RESOLUTION_MS.minute) * RESOLUTION_MS.minute;
    const key = `${row.monitorId}\u0000${start}`;
    let delta = minutes.get(key);
    if (!delta) {
      delta = {
        monitorId: row.monitorId,
        resolution: 'minute',
        start,
        environment: row.environment,
        service: row.service,
        good: 0,
        degraded: 0,
        down: 0,
        sketch: new LatencySketch(),
      };
      minutes.set(key, delta);
    }
    if (row.outcome === 'up') delta.good++;
    else if (row.outcome === 'degraded') delta.degraded++;
    else delta.down++;
    // Latency means something only when an answer came: a timeout's "latency" is the timeout.
    if (row.outcome !== 'down') delta.sketch.add(row.latencyMs);
  }
  const hours = coarsen([...minutes.values()], 'hour');
  return [...minutes.values(), ...hours, ...coarsen(hours, 'day')];
}

function coarsen(finer: readonly BucketDelta[], resolution: Resolution): BucketDelta[] {
  const out = new Map<string, BucketDelta>();
  const shared = new Set<BucketDelta>();
  for (const d of finer) {
    const start = Math.floor(d.start / RESOLUTION_MS[resolution]) * RESOLUTION_MS[resolution];
    const key = `${d.monitorId}\u0000${start}`;
    const into = out.get(key);
    if (!into) {
      const delta = { ...d, resolution, start };
      out.set(key, delta);
      shared.add(delta);
      continue;
    }
    if (shared.delete(into)) into.sketch = new LatencySketch().merge(into.sketch);
    into.good += d.good;
    into.degraded += d.degraded;
    into.down += d.down;
    into.sketch.merge(d.sketch);
  }
  return [...out.values()];
}
