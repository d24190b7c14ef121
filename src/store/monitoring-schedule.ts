/**
 * The monitor schedule and instance heartbeats. Each monitor row carries its next due time and a lease
 * (owner, until): an instance claims due rows it can run, runs them, and completes them by moving the
 * due time one interval on. A killed instance's leases simply expire and another instance claims them.
 */
import type { Redactor } from '../redact/index.js';
import { compare } from './monitoring-history.js';
import { batchWithRetry, chunk, hashString, iso, rowStatements, toMs, valuesList } from './monitoring-sql.js';
import type {
  ClaimedCheck,
  InstanceRecord,
  MonitorDefinition,
  MonitoringStore,
  MonitorRecord,
  MonitorState,
  NewSample,
  SampleOutcome,
} from './monitoring-types.js';
import type { Row, SqlExecutor, SqlParam, SqlStatement } from './sql-executor.js';

type ScheduleStore = Pick<
  MonitoringStore,
  | 'syncMonitors'
  | 'listMonitors'
  | 'monitorStates'
  | 'claimDue'
  | 'completeChecks'
  | 'releaseClaims'
  | 'heartbeat'
  | 'listInstances'
  | 'removeInstance'
>;

export interface ScheduleStoreOptions {
  redactor: Redactor;
  now: () => Date;
  /** Writes samples inside the completion's transaction. */
  sampleStatements(samples: NewSample[]): SqlStatement[];
}

/**
 * How long past its start a lease outlives the check's worst case (every attempt timing out): time to
 * write the result. Short intervals get a short grace so a killed instance's monitors move on quickly.
 */
export function leaseMsFor(monitor: Pick<MonitorDefinition, 'intervalMs' | 'timeoutMs' | 'retries'>): number {
  const grace = Math.min(5_000, Math.max(250, monitor.intervalMs / 4));
  return monitor.timeoutMs * (monitor.retries + 1) + grace;
}

/** The first slot after `now` in the monitor's phase: a hash of its id spreads monitors over the interval. */
export function firstDueAt(id: string, intervalMs: number, now: number): number {
  const phase = hashString(id) % intervalMs;
  return phase + (Math.floor((now - phase) / intervalMs) + 1) * intervalMs;
}

/** Rows a listing reads per query. */
const LIST_PAGE = 2_000;
const STATE_PAGE = 10_000;

const SCHEDULE_COLUMNS =
  'monitor_id, environment, service, name, kind, target, interval_ms, timeout_ms, retries, lease_ms, next_due_at, lease_owner, lease_until, last_at, last_outcome, last_latency_ms, last_message';

export function createScheduleStore(
  db: SqlExecutor,
  { redactor, now, sampleStatements }: ScheduleStoreOptions,
): ScheduleStore {
  const schedule = db.table('monitor_schedule');
  const instances = db.table('monitor_instances');
  const postgres = db.backend === 'postgres';

  const toMonitor = (r: Row): MonitorRecord => {
    return {
      id: String(r.monitor_id),
      environment: String(r.environment),
      service: String(r.service),
      name: String(r.name),
      kind: String(r.kind) as MonitorRecord['kind'],
      target: String(r.target),
      intervalMs: Number(r.interval_ms),
      timeoutMs: Number(r.timeout_ms),
      retries: Number(r.retries),
      nextDueAt: iso(Number(r.next_due_at)),
      leaseOwner: r.lease_owner == null ? null : String(r.lease_owner),
      leaseUntil: r.lease_until == null ? null : iso(Number(r.lease_until)),
      last:
        r.last_at == null
          ? null
          : {
              at: iso(Number(r.last_at)),
              outcome: String(r.last_outcome) as SampleOutcome,
              latencyMs: Number(r.last_latency_ms),
              message: r.last_message == null ? null : String(r.last_message),
            },
    };
  };

  return {
    async syncMonitors(environment, monitors) {
      const at = now().getTime();
      const existing = new Set(
        (await db.query(`SELECT monitor_id FROM ${schedule} WHERE environment = ?`, [environment])).map((r) =>
          String(r.monitor_id),
        ),
      );
      const wanted = new Set(monitors.map((m) => m.id));
      const statements: SqlStatement[] = [];
      for (const part of chunk(monitors, 200)) {
        const params: SqlParam[] = [];
        for (const m of part)
          params.push(
            m.id,
            environment,
            m.service,
            m.name,
            m.kind,
            redactor.redact(m.target),
            m.intervalMs,
            m.timeoutMs,
            m.retries,
            leaseMsFor(m),
            firstDueAt(m.id, m.intervalMs, at),
          );
        // A changed interval takes the new phase; a due time missed by more than an interval (nobody ran
        // it: opsbook was stopped) moves to its next slot instead of firing everything at once.
        statements.push({
          sql: `INSERT INTO ${schedule} AS m (monitor_id, environment, service, name, kind, target, interval_ms, timeout_ms, retries, lease_ms, next_due_at)
            VALUES ${valuesList(part.length, 11)}
            ON CONFLICT (monitor_id) DO UPDATE SET environment = excluded.environment, service = excluded.service,
              name = excluded.name, kind = excluded.kind, target = excluded.target, lease_ms = excluded.lease_ms,
              timeout_ms = excluded.timeout_ms, retries = excluded.retries,
              interval_ms = excluded.interval_ms,
              next_due_at = CASE
                WHEN m.interval_ms <> excluded.interval_ms THEN excluded.next_due_at
                WHEN m.next_due_at < ? - m.interval_ms AND (m.lease_until IS NULL OR m.lease_until <= ?)
                  THEN excluded.next_due_at
                ELSE m.next_due_at END`,
          params: [...params, at, at],
        });
      }
      const removed = [...existing].filter((id) => !wanted.has(id));
      for (const part of chunk(removed, 500))
        statements.push({
          sql: `DELETE FROM ${schedule} WHERE monitor_id IN (${valuesList(part.length, 1, '?')})`,
          params: part,
        });
      if (statements.length) await batchWithRetry(db, statements);
      return { added: monitors.filter((m) => !existing.has(m.id)).length, removed: removed.length };
    },

    async listMonitors(options = {}) {
      const where: string[] = ['monitor_id > ?'];
      const params: SqlParam[] = [];
      if (options.environment !== undefined) {
        where.push('environment = ?');
        params.push(options.environment);
      }
      if (options.service !== undefined) {
        where.push('service = ?');
        params.push(options.service);
      }
      // In pages by id: a SQLite query holds the event loop for its whole result (about 150 ms for 20,000
      // monitors), and the monitor engine's checks share that loop; between pages they run on time.
      const monitors: MonitorRecord[] = [];
      for (let after = ''; ; ) {
        const rows = await db.query(
          `SELECT ${SCHEDULE_COLUMNS} FROM ${schedule} WHERE ${where.join(' AND ')} ORDER BY monitor_id LIMIT ${LIST_PAGE}`,
          [after, ...params],
        );
        monitors.push(...rows.map(toMonitor));
        if (rows.length < LIST_PAGE) return monitors;
        after = String(rows[rows.length - 1]!.monitor_id);
        await new Promise((resolve) => setImmediate(resolve));
      }
    },

    async monitorStates(environment) {
      // A scrape reads this for every monitor. Seven columns where listMonitors reads seventeen, and pages five times
      // larger: at 20,000 monitors a listing took 370-1,050 ms of a scrape, its pages each waiting for a turn of the
      // event loop that the checks keep busy.
      const states: MonitorState[] = [];
      for (let after = ''; ; ) {
        const rows = await db.query(
          `SELECT monitor_id, environment, service, kind, last_outcome, last_at, interval_ms, timeout_ms FROM ${schedule}
           WHERE monitor_id > ? AND environment = ? ORDER BY monitor_id LIMIT ${STATE_PAGE}`,
          [after, environment],
        );
        for (const r of rows)
          states.push({
            id: String(r.monitor_id),
            environment: String(r.environment),
            service: String(r.service),
            kind: String(r.kind) as MonitorState['kind'],
            lastOutcome: r.last_outcome == null ? null : (String(r.last_outcome) as SampleOutcome),
            lastAt: r.last_at == null ? null : Number(r.last_at),
            intervalMs: Number(r.interval_ms),
            timeoutMs: Number(r.timeout_ms),
          });
        if (rows.length < STATE_PAGE) return states;
        after = String(rows[rows.length - 1]!.monitor_id);
      }
    },

    async claimDue({ owner, environment, horizon, limit, now: at = now().getTime() }) {
      if (limit <= 0) return [];
      const pick = `SELECT monitor_id FROM ${schedule}
        WHERE environment = ? AND next_due_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
        ORDER BY next_due_at LIMIT ?`;
      const lease =
        'lease_owner = ?, lease_until = CASE WHEN next_due_at > ? THEN next_due_at ELSE ? END + lease_ms';
      const params = [owner, at, at, environment, horizon, at, Math.floor(limit)];
      // PostgreSQL: rows another instance is claiming right now are skipped, not waited for.
      const rows = await db.query(
        postgres
          ? `UPDATE ${schedule} SET ${lease} FROM (${pick} FOR UPDATE SKIP LOCKED) AS c
             WHERE monitor_schedule.monitor_id = c.monitor_id
             RETURNING monitor_schedule.monitor_id, next_due_at, interval_ms, lease_until`
          : `UPDATE ${schedule} SET ${lease} WHERE monitor_id IN (${pick})
             RETURNING monitor_id, next_due_at, interval_ms, lease_until`,
        params,
      );
      return rows
        .map(
          (r): ClaimedCheck => ({
            monitorId: String(r.monitor_id),
            dueAt: Number(r.next_due_at),
            intervalMs: Number(r.interval_ms),
            leaseUntil: Number(r.lease_until),
          }),
        )
        .sort((a, b) => a.dueAt - b.dueAt);
    },

    async completeChecks(owner, completions) {
      if (!completions.length) return 0;
      const samples = completions.flatMap((c) => (c.sample ? [c.sample] : []));
      const statements: SqlStatement[] = sampleStatements(samples);
      const firstUpdate = statements.length;
      // In id order, so two instances' transactions lock schedule rows in the same order.
      const sorted = [...completions].sort((a, b) => compare(a.monitorId, b.monitorId));
      // Only rows still leased to us: if our lease ran out and another instance took over, it decides.
      statements.push(
        ...rowStatements(db, sorted, {
          types: ['text', 'bigint', 'bigint', 'text', 'double precision', 'text'],
          push: (c, out) =>
            out.push(
              c.monitorId,
              c.nextDueAt,
              c.sample ? toMs(c.sample.at) : null,
              c.sample?.outcome ?? null,
              c.sample?.latencyMs ?? null,
              c.sample?.message ? redactor.redact(c.sample.message).slice(0, 500) : null,
            ),
          sql: (
            source,
          ) => `WITH v (monitor_id, next_due_at, last_at, last_outcome, last_latency_ms, last_message) AS (
              ${source})
            UPDATE ${schedule} SET next_due_at = v.next_due_at, lease_owner = NULL, lease_until = NULL,
              last_at = COALESCE(v.last_at, monitor_schedule.last_at),
              last_outcome = COALESCE(v.last_outcome, monitor_schedule.last_outcome),
              last_latency_ms = COALESCE(v.last_latency_ms, monitor_schedule.last_latency_ms),
              last_message = CASE WHEN v.last_at IS NULL THEN monitor_schedule.last_message ELSE v.last_message END
            FROM v WHERE monitor_schedule.monitor_id = v.monitor_id AND monitor_schedule.lease_owner = ?
            RETURNING monitor_schedule.monitor_id`,
          after: [owner],
          sqliteRows: 200,
          // SQLite takes a VALUES row's column types from its values: the casts keep them what the table says.
          sqliteRow:
            '(CAST(? AS text), CAST(? AS bigint), CAST(? AS bigint), CAST(? AS text), CAST(? AS double precision), CAST(? AS text))',
        }),
      );
      const results = await batchWithRetry(db, statements);
      return results.slice(firstUpdate).reduce((n, rows) => n + rows.length, 0);
    },

    async releaseClaims(owner) {
      const rows = await db.query(
        `UPDATE ${schedule} SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ? RETURNING monitor_id`,
        [owner],
      );
      return rows.length;
    },

    async heartbeat({ instanceId, environment, info = {} }) {
      const at = now().getTime();
      await db.query(
        `INSERT INTO ${instances} (instance_id, environment, started_at, heartbeat_at, info) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (instance_id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at, info = excluded.info`,
        [instanceId, environment, at, at, JSON.stringify(redactor.redactData(info))],
      );
    },

    async listInstances({ aliveWithinMs = 30_000 } = {}) {
      const rows = await db.query(
        `SELECT instance_id, environment, started_at, heartbeat_at, info FROM ${instances}
         WHERE heartbeat_at >= ? ORDER BY instance_id`,
        [now().getTime() - aliveWithinMs],
      );
      return rows.map(
        (r): InstanceRecord => ({
          instanceId: String(r.instance_id),
          environment: String(r.environment),
          startedAt: iso(Number(r.started_at)),
          heartbeatAt: iso(Number(r.heartbeat_at)),
          info: (db.readJson(r.info) ?? {}) as InstanceRecord['info'],
        }),
      );
    },

    async removeInstance(instanceId) {
      await db.query(`DELETE FROM ${instances} WHERE instance_id = ?`, [instanceId]);
    },
  };
}
