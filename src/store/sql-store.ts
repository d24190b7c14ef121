/** The Store written once in the SQL both SQLite and PostgreSQL understand (upserts, RETURNING). */
import type { Redactor } from '../redact/index.js';
import { createAlertingStore } from './alerting-store.js';
import { createId } from './ids.js';
import { createIncidentsStore } from './incidents-store.js';
import { createMonitoringStore } from './monitoring-store.js';
import type { Row, SqlExecutor, SqlParam, SqlStatement } from './sql-executor.js';
import { encodeJson, toIsoTime } from './sql-executor.js';
import type {
  EventRecord,
  JsonValue,
  LockInfo,
  RunPatch,
  RunRecord,
  StepPatch,
  StepRecord,
  Store,
} from './types.js';

export interface SqlStoreOptions {
  redactor: Redactor;
  now: () => Date;
}

const RUN_COLUMNS = 'id, kind, environment, status, actor, started_at, finished_at, summary';
const STEP_COLUMNS = 'id, run_id, name, status, started_at, finished_at, detail';
const EVENT_COLUMNS = 'id, run_id, at, level, type, message, data';
const LOCK_COLUMNS = 'name, holder, acquired_at, expires_at, reason';

export function createSqlStore(db: SqlExecutor, { redactor, now }: SqlStoreOptions): Store {
  const t = (name: Parameters<SqlExecutor['table']>[0]) => db.table(name);
  const nowIso = () => now().toISOString();
  const text = (value: string) => redactor.redact(value);
  const optionalText = (value: string | null | undefined) => (value == null ? null : text(value));
  const json = (value: JsonValue | undefined) => encodeJson(redactor, value);
  const time = (value: unknown) => db.readTime(value) ?? '';
  let closed = false;

  const toRun = (r: Row): RunRecord => ({
    id: String(r.id),
    kind: String(r.kind),
    environment: r.environment == null ? null : String(r.environment),
    status: String(r.status),
    actor: r.actor == null ? null : String(r.actor),
    startedAt: time(r.started_at),
    finishedAt: db.readTime(r.finished_at),
    summary: db.readJson(r.summary),
  });
  const toStep = (r: Row): StepRecord => ({
    id: String(r.id),
    runId: String(r.run_id),
    name: String(r.name),
    status: String(r.status),
    startedAt: time(r.started_at),
    finishedAt: db.readTime(r.finished_at),
    detail: db.readJson(r.detail),
  });
  const toEvent = (r: Row): EventRecord => ({
    id: Number(r.id),
    runId: String(r.run_id),
    at: time(r.at),
    level: String(r.level),
    type: String(r.type),
    message: String(r.message),
    data: db.readJson(r.data),
  });
  const toLock = (r: Row): LockInfo => ({
    name: String(r.name),
    holder: String(r.holder),
    acquiredAt: time(r.acquired_at),
    expiresAt: db.readTime(r.expires_at),
    reason: r.reason == null ? null : String(r.reason),
  });

  // Builds `SET a = ?, b = ?` from the fields a patch actually carries.
  const updateRun = async (id: string, fields: [string, SqlParam][]) => {
    if (fields.length === 0) {
      return (await db.query(`SELECT ${RUN_COLUMNS} FROM ${t('runs')} WHERE id = ?`, [id]))[0];
    }
    const set = fields.map(([column]) => `${column} = ?`).join(', ');
    const params = [...fields.map(([, value]) => value), id];
    return (
      await db.query(`UPDATE ${t('runs')} SET ${set} WHERE id = ? RETURNING ${RUN_COLUMNS}`, params)
    )[0];
  };
  const runFields = (patch: RunPatch): [string, SqlParam][] => {
    const fields: [string, SqlParam][] = [];
    if (patch.status !== undefined) fields.push(['status', patch.status]);
    if (patch.finishedAt !== undefined)
      fields.push(['finished_at', patch.finishedAt && toIsoTime(patch.finishedAt)]);
    if (patch.summary !== undefined) fields.push(['summary', json(patch.summary)]);
    return fields;
  };
  const stepFields = (patch: StepPatch): [string, SqlParam][] => {
    const fields: [string, SqlParam][] = [];
    if (patch.status !== undefined) fields.push(['status', patch.status]);
    if (patch.finishedAt !== undefined)
      fields.push(['finished_at', patch.finishedAt && toIsoTime(patch.finishedAt)]);
    if (patch.detail !== undefined) fields.push(['detail', json(patch.detail)]);
    return fields;
  };
  /** A step's write with its run's patch in one transaction; the run is `runId`, or the step's run when null. */
  const withRun = async (step: SqlStatement, runId: string | null, stepId: string, run?: RunPatch) => {
    const fields = run ? runFields(run) : [];
    if (fields.length === 0) return (await db.query(step.sql, step.params))[0];
    const set = fields.map(([column]) => `${column} = ?`).join(', ');
    const which = runId === null ? `(SELECT run_id FROM ${t('steps')} WHERE id = ?)` : '?';
    const [rows] = await db.batch([
      step,
      {
        sql: `UPDATE ${t('runs')} SET ${set} WHERE id = ${which}`,
        params: [...fields.map(([, value]) => value), runId ?? stepId],
      },
    ]);
    return rows?.[0];
  };

  const readLock = async (name: string, at: string) => {
    const rows = await db.query(
      `SELECT ${LOCK_COLUMNS} FROM ${t('locks')} WHERE name = ? AND (expires_at IS NULL OR expires_at > ?)`,
      [name, at],
    );
    return rows[0] ? toLock(rows[0]) : undefined;
  };

  return {
    backend: db.backend,
    location: db.location,
    monitoring: createMonitoringStore(db, { redactor, now }),
    alerting: createAlertingStore(db, { redactor, now }),
    incidents: createIncidentsStore(db, { redactor, now }),

    async createRun(run) {
      const startedAt = run.startedAt ? toIsoTime(run.startedAt) : nowIso();
      const rows = await db.query(
        `INSERT INTO ${t('runs')} (${RUN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${RUN_COLUMNS}`,
        [
          run.id ?? createId(Date.parse(startedAt)),
          run.kind,
          run.environment ?? null,
          run.status ?? 'running',
          optionalText(run.actor),
          startedAt,
          null,
          json(run.summary),
        ],
      );
      return toRun(rows[0]!);
    },

    async updateRun(id, patch) {
      const row = await updateRun(id, runFields(patch));
      return row ? toRun(row) : undefined;
    },

    async getRun(id) {
      const rows = await db.query(`SELECT ${RUN_COLUMNS} FROM ${t('runs')} WHERE id = ?`, [id]);
      return rows[0] ? toRun(rows[0]) : undefined;
    },

    async listRuns(options = {}) {
      const where: string[] = [];
      const params: SqlParam[] = [];
      for (const [column, value] of [
        ['kind', options.kind],
        ['environment', options.environment],
        ['status', options.status],
      ] as const) {
        if (value !== undefined) {
          where.push(`${column} = ?`);
          params.push(value);
        }
      }
      const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
      params.push(clampLimit(options.limit, 50));
      const rows = await db.query(
        `SELECT ${RUN_COLUMNS} FROM ${t('runs')} ${filter} ORDER BY started_at DESC, id DESC LIMIT ?`,
        params,
      );
      return rows.map(toRun);
    },

    async addStep(runId, step, run) {
      const startedAt = step.startedAt ? toIsoTime(step.startedAt) : nowIso();
      const id = createId();
      const row = await withRun(
        {
          sql: `INSERT INTO ${t('steps')} (${STEP_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING ${STEP_COLUMNS}`,
          params: [id, runId, text(step.name), step.status ?? 'running', startedAt, null, json(step.detail)],
        },
        runId,
        id,
        run,
      );
      return toStep(row!);
    },

    async updateStep(stepId, patch, run) {
      const fields = stepFields(patch);
      const set = fields.map(([column]) => `${column} = ?`).join(', ');
      const step: SqlStatement = fields.length
        ? {
            sql: `UPDATE ${t('steps')} SET ${set} WHERE id = ? RETURNING ${STEP_COLUMNS}`,
            params: [...fields.map(([, value]) => value), stepId],
          }
        : { sql: `SELECT ${STEP_COLUMNS} FROM ${t('steps')} WHERE id = ?`, params: [stepId] };
      const row = await withRun(step, null, stepId, run);
      return row ? toStep(row) : undefined;
    },

    async listSteps(runId) {
      const rows = await db.query(
        `SELECT ${STEP_COLUMNS} FROM ${t('steps')} WHERE run_id = ? ORDER BY started_at, id`,
        [runId],
      );
      return rows.map(toStep);
    },

    async appendEvent(runId, event) {
      const rows = await db.query(
        `INSERT INTO ${t('events')} (run_id, at, level, type, message, data) VALUES (?, ?, ?, ?, ?, ?) RETURNING ${EVENT_COLUMNS}`,
        [
          runId,
          event.at ? toIsoTime(event.at) : nowIso(),
          event.level,
          text(event.type),
          text(event.message),
          json(event.data),
        ],
      );
      return toEvent(rows[0]!);
    },

    async listEvents(runId, options = {}) {
      const rows = await db.query(
        `SELECT ${EVENT_COLUMNS} FROM ${t('events')} WHERE run_id = ? AND id > ? ORDER BY id LIMIT ?`,
        [runId, options.afterId ?? 0, clampLimit(options.limit, 1000)],
      );
      return rows.map(toEvent);
    },

    async acquireLock(name, { holder, ttlMs, reason }) {
      // One upsert decides atomically: insert a free lock, or take it over when expired (or renew our own).
      // The row can change between a lost upsert and reading the winner, so try a few times.
      for (let attempt = 0; attempt < 5; attempt++) {
        const at = now();
        const expiresAt = ttlMs === undefined ? null : new Date(at.getTime() + ttlMs).toISOString();
        const rows = await db.query(
          `INSERT INTO ${t('locks')} AS l (${LOCK_COLUMNS}) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, acquired_at = excluded.acquired_at,
             expires_at = excluded.expires_at, reason = excluded.reason
           WHERE l.holder = excluded.holder OR (l.expires_at IS NOT NULL AND l.expires_at <= ?)
           RETURNING ${LOCK_COLUMNS}`,
          [name, text(holder), at.toISOString(), expiresAt, optionalText(reason), at.toISOString()],
        );
        if (rows[0]) return { acquired: true, lock: toLock(rows[0]) };
        const heldBy = await readLock(name, at.toISOString());
        if (heldBy) return { acquired: false, heldBy };
      }
      throw new Error(`lock '${name}' kept changing hands while acquiring it`);
    },

    async releaseLock(name, holder, run) {
      const release: SqlStatement = {
        sql: `DELETE FROM ${t('locks')} WHERE name = ? AND holder = ? RETURNING name`,
        params: [name, text(holder)],
      };
      const fields = run ? runFields(run.patch) : [];
      if (!run || fields.length === 0) return (await db.query(release.sql, release.params)).length > 0;
      const [rows = []] = await db.batch([
        release,
        {
          sql: `UPDATE ${t('runs')} SET ${fields.map(([column]) => `${column} = ?`).join(', ')} WHERE id = ?`,
          params: [...fields.map(([, value]) => value), run.id],
        },
      ]);
      return rows.length > 0;
    },

    getLock: (name) => readLock(name, nowIso()),

    async forceReleaseLock(name) {
      const rows = await db.query(`DELETE FROM ${t('locks')} WHERE name = ? RETURNING expires_at`, [name]);
      const at = nowIso();
      return rows.some((r) => r.expires_at == null || (db.readTime(r.expires_at) ?? '') > at);
    },

    async getCache(key) {
      const rows = await db.query(`SELECT value FROM ${t('cache')} WHERE key = ?`, [key]);
      return rows[0] ? (db.readJson(rows[0].value) ?? null) : undefined;
    },

    async putCache(key, value) {
      await db.query(
        `INSERT INTO ${t('cache')} (key, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
        [key, json(value) ?? 'null', nowIso()],
      );
    },

    async close() {
      if (closed) return;
      closed = true;
      await db.close();
    },
  };
}

function clampLimit(limit: number | undefined, fallback: number): number {
  if (limit === undefined || !Number.isFinite(limit)) return fallback;
  return Math.max(1, Math.floor(limit));
}
