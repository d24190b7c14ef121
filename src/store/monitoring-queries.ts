/** Reading history: raw samples, dense bucket series, and uptime and latency quantiles over any window. */
import { UserError } from '../errors.js';
import { LatencySketch } from '../sketch/index.js';
import { iso, num, toMs } from './monitoring-sql.js';
import {
  type BucketRecord,
  type CheckCounts,
  type MonitoringStore,
  type MonitorSelector,
  RESOLUTION_MS,
  type SampleOutcome,
  type SampleRecord,
  type UptimeResult,
} from './monitoring-types.js';
import { splitWindow } from './monitoring-windows.js';
import type { Row, SqlExecutor, SqlParam } from './sql-executor.js';

type HistoryReader = Pick<
  MonitoringStore,
  'samples' | 'buckets' | 'uptime' | 'uptimeByService' | 'latencyQuantiles'
>;

/** A status page shows 90 bars; thousands of minute buckets is a mistake worth reporting. */
const MAX_BUCKETS = 10_000;
const DEFAULT_QUANTILES = [0.5, 0.95, 0.99];

function where(selector: MonitorSelector): { sql: string; params: SqlParam[] } {
  return 'monitor' in selector
    ? { sql: 'monitor_id = ?', params: [selector.monitor] }
    : { sql: 'environment = ? AND service = ?', params: [selector.environment, selector.service] };
}

const emptyCounts = (): CheckCounts => ({ total: 0, good: 0, degraded: 0, down: 0 });

const RAW_COUNTS = `sum(CASE WHEN outcome = 'up' THEN 1 ELSE 0 END) AS good,
  sum(CASE WHEN outcome = 'degraded' THEN 1 ELSE 0 END) AS degraded,
  sum(CASE WHEN outcome = 'down' THEN 1 ELSE 0 END) AS down`;

function uptimeResult(from: number, to: number, counts: CheckCounts): UptimeResult {
  return {
    from: iso(from),
    to: iso(to),
    ...counts,
    availability: counts.total ? (counts.good + counts.degraded) / counts.total : null,
  };
}

function addCounts(into: CheckCounts, r: Row): void {
  into.good += Number(r.good ?? 0);
  into.degraded += Number(r.degraded ?? 0);
  into.down += Number(r.down ?? 0);
  into.total = into.good + into.degraded + into.down;
}

export function createHistoryReader(db: SqlExecutor): HistoryReader {
  const samplesTable = db.table('monitor_samples');
  const rollups = db.table('monitor_rollups');
  const serviceRollups = db.table('monitor_service_rollups');

  /** The sketch of one rollup row: bins from the row, exact sum, min and max from its columns. */
  const rowSketch = (r: Row) => {
    const bins = (db.readJson(r.sketch) ?? {}) as Record<string, number>;
    return LatencySketch.fromJSON({
      bins,
      count: Number(r.latency_count),
      sum: Number(r.latency_sum),
      min: num(r.latency_min),
      max: num(r.latency_max),
    });
  };

  /** `table` is the monitors' rollups (with sketches) or, for counts of a service, its own rollups. */
  const rollupRows = (
    selector: MonitorSelector,
    resolution: string,
    from: number,
    to: number,
    columns: string,
    table = rollups,
    filter = where,
  ) => {
    const w = filter(selector);
    return db.query(
      `SELECT ${columns} FROM ${table} WHERE ${w.sql} AND resolution = ? AND bucket_start >= ? AND bucket_start < ?`,
      [...w.params, resolution, from, to],
    );
  };

  const rawCounts = async (selector: MonitorSelector, from: number, to: number) => {
    const w = where(selector);
    const rows = await db.query(
      `SELECT ${RAW_COUNTS} FROM ${samplesTable} WHERE ${w.sql} AND at >= ? AND at < ?`,
      [...w.params, from, to],
    );
    return rows[0] ?? {};
  };

  const schedule = db.table('monitor_schedule');
  /**
   * A service's latency leaves out its heartbeat monitors: they read the store and time nothing, and their 0 ms
   * "answers" (one a minute each) pulled its p95, latency SLO and latency alerts towards zero.
   */
  const latencyWhere = (selector: MonitorSelector) => {
    const w = where(selector);
    if ('monitor' in selector) return w;
    return {
      sql: `${w.sql} AND monitor_id NOT IN (SELECT monitor_id FROM ${schedule} WHERE environment = ? AND service = ? AND kind = 'heartbeat')`,
      params: [...w.params, selector.environment, selector.service],
    };
  };

  const windowSketch = async (selector: MonitorSelector, from: number, to: number) => {
    const sketch = new LatencySketch();
    for (const segment of splitWindow(from, to)) {
      if (segment.source === 'raw') {
        const w = latencyWhere(selector);
        const rows = await db.query(
          `SELECT latency_ms FROM ${samplesTable} WHERE ${w.sql} AND at >= ? AND at < ? AND outcome <> 'down'`,
          [...w.params, segment.from, segment.to],
        );
        for (const r of rows) sketch.add(Number(r.latency_ms));
      } else {
        const rows = await rollupRows(
          selector,
          segment.source,
          segment.from,
          segment.to,
          'latency_count, latency_sum, latency_min, latency_max, sketch',
          rollups,
          latencyWhere,
        );
        for (const r of rows) sketch.merge(rowSketch(r));
      }
    }
    return sketch;
  };

  return {
    async samples(selector, from, to, options = {}) {
      const w = where(selector);
      const order = options.order === 'desc' ? 'DESC' : 'ASC';
      const rows = await db.query(
        `SELECT monitor_id, environment, service, at, outcome, latency_ms, status, message, attempts
         FROM ${samplesTable} WHERE ${w.sql} AND at >= ? AND at < ? ORDER BY at ${order}, id ${order} LIMIT ?`,
        [...w.params, toMs(from), toMs(to), Math.max(1, Math.floor(options.limit ?? 10_000))],
      );
      return rows.map(
        (r): SampleRecord => ({
          monitorId: String(r.monitor_id),
          environment: String(r.environment),
          service: String(r.service),
          at: iso(Number(r.at)),
          outcome: String(r.outcome) as SampleOutcome,
          latencyMs: Number(r.latency_ms),
          status: num(r.status),
          message: r.message == null ? null : String(r.message),
          attempts: Number(r.attempts),
        }),
      );
    },

    async buckets(selector, resolution, from, to, options = {}) {
      const size = RESOLUTION_MS[resolution];
      const start = Math.floor(toMs(from) / size) * size;
      const end = toMs(to);
      const count = Math.max(0, Math.ceil((end - start) / size));
      if (count > MAX_BUCKETS)
        throw new UserError(
          `${count} ${resolution} buckets asked for; at most ${MAX_BUCKETS} at a time`,
          'use a coarser resolution or a shorter window',
          'monitoring/too-many-buckets',
        );
      const rows = await rollupRows(
        selector,
        resolution,
        start,
        end,
        'bucket_start, good, degraded, down, latency_count, latency_sum, latency_min, latency_max, sketch',
      );
      const byStart = new Map<number, { counts: CheckCounts; sketch: LatencySketch }>();
      for (const r of rows) {
        const at = Number(r.bucket_start);
        const entry = byStart.get(at) ?? { counts: emptyCounts(), sketch: new LatencySketch() };
        byStart.set(at, entry);
        addCounts(entry.counts, r);
        entry.sketch.merge(rowSketch(r));
      }
      return Array.from({ length: count }, (_, i): BucketRecord => {
        const at = start + i * size;
        const entry = byStart.get(at);
        const sketch = entry?.sketch ?? new LatencySketch();
        const has = sketch.count > 0;
        return {
          start: iso(at),
          resolution,
          ...(entry?.counts ?? emptyCounts()),
          latencyCount: sketch.count,
          meanMs: has ? sketch.sum / sketch.count : null,
          minMs: has ? sketch.min : null,
          maxMs: has ? sketch.max : null,
          ...(options.quantiles
            ? { quantiles: options.quantiles.map((q) => sketch.quantile(q) ?? null) }
            : {}),
        };
      });
    },

    async uptime(selector, from, to) {
      const [fromMs, toMsValue] = [toMs(from), toMs(to)];
      const counts = emptyCounts();
      for (const segment of splitWindow(fromMs, toMsValue)) {
        if (segment.source === 'raw') addCounts(counts, await rawCounts(selector, segment.from, segment.to));
        else {
          // A service's counts from its own rows: one per bucket, however many monitors it has.
          const rows = await rollupRows(
            selector,
            segment.source,
            segment.from,
            segment.to,
            'sum(good) AS good, sum(degraded) AS degraded, sum(down) AS down',
            'monitor' in selector ? rollups : serviceRollups,
          );
          if (rows[0]) addCounts(counts, rows[0]);
        }
      }
      return uptimeResult(fromMs, toMsValue, counts);
    },

    async uptimeByService(environment, from, to) {
      const [fromMs, toMsValue] = [toMs(from), toMs(to)];
      const byService = new Map<string, CheckCounts>();
      for (const segment of splitWindow(fromMs, toMsValue)) {
        const rows =
          segment.source === 'raw'
            ? await db.query(
                `SELECT service, ${RAW_COUNTS} FROM ${samplesTable}
                 WHERE environment = ? AND at >= ? AND at < ? GROUP BY service`,
                [environment, segment.from, segment.to],
              )
            : await db.query(
                `SELECT service, sum(good) AS good, sum(degraded) AS degraded, sum(down) AS down FROM ${serviceRollups}
                 WHERE environment = ? AND resolution = ? AND bucket_start >= ? AND bucket_start < ? GROUP BY service`,
                [environment, segment.source, segment.from, segment.to],
              );
        for (const r of rows) {
          const service = String(r.service);
          const counts = byService.get(service) ?? emptyCounts();
          byService.set(service, counts);
          addCounts(counts, r);
        }
      }
      return new Map([...byService].map(([service, c]) => [service, uptimeResult(fromMs, toMsValue, c)]));
    },

    async latencyQuantiles(selector, from, to, quantiles = DEFAULT_QUANTILES) {
      const [fromMs, toMsValue] = [toMs(from), toMs(to)];
      const sketch = await windowSketch(selector, fromMs, toMsValue);
      const has = sketch.count > 0;
      return {
        from: iso(fromMs),
        to: iso(toMsValue),
        count: sketch.count,
        minMs: has ? sketch.min : null,
        maxMs: has ? sketch.max : null,
        meanMs: has ? sketch.sum / sketch.count : null,
        quantiles: quantiles.map((q) => ({ q, ms: sketch.quantile(q) ?? null })),
      };
    },
  };
}
