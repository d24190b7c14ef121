/** `store.alerting` written once in the SQL both backends understand; leasing adds SKIP LOCKED on PostgreSQL. */
import type { Redactor } from '../redact/index.js';
import type {
  AlertingStore,
  AlertingTable,
  AlertStateRecord,
  NewOutboxNotification,
  OutboxRecord,
  SilenceMatcher,
  SilenceRecord,
} from './alerting-types.js';
import { createId } from './ids.js';
import type { Row, SqlExecutor, SqlParam, SqlStatement } from './sql-executor.js';
import { encodeJson, toIsoTime } from './sql-executor.js';

export interface AlertingStoreOptions {
  redactor: Redactor;
  now: () => Date;
}

const STATE_COLUMNS = 'environment, rule_id, service, status, state, updated_at';
const SILENCE_COLUMNS = 'id, environment, matchers, starts_at, ends_at, created_by, comment, created_at';
const OUTBOX_COLUMNS =
  'id, dedup_key, environment, channel, payload, status, attempts, due_at, lease_holder, lease_until, last_error, created_at, sent_at';

export function createAlertingStore(db: SqlExecutor, { redactor, now }: AlertingStoreOptions): AlertingStore {
  const t = (name: AlertingTable) => db.table(name);
  const nowIso = () => now().toISOString();
  const text = (value: string) => redactor.redact(value);
  const time = (value: unknown) => db.readTime(value) ?? '';
  const str = (value: unknown) => (value == null ? null : String(value));

  const toState = (r: Row): AlertStateRecord => ({
    environment: String(r.environment),
    ruleId: String(r.rule_id),
    service: String(r.service),
    status: String(r.status) as AlertStateRecord['status'],
    state: db.readJson(r.state),
    updatedAt: time(r.updated_at),
  });
  const toSilence = (r: Row): SilenceRecord => ({
    id: String(r.id),
    environment: str(r.environment),
    matchers: (db.readJson(r.matchers) ?? []) as unknown as SilenceMatcher[],
    startsAt: time(r.starts_at),
    endsAt: time(r.ends_at),
    createdBy: String(r.created_by),
    comment: String(r.comment),
    createdAt: time(r.created_at),
  });
  const toOutbox = (r: Row): OutboxRecord => ({
    id: String(r.id),
    dedupKey: String(r.dedup_key),
    environment: String(r.environment),
    channel: String(r.channel),
    payload: db.readJson(r.payload),
    status: String(r.status) as OutboxRecord['status'],
    attempts: Number(r.attempts),
    dueAt: time(r.due_at),
    leaseHolder: str(r.lease_holder),
    leaseUntil: db.readTime(r.lease_until),
    lastError: str(r.last_error),
    createdAt: time(r.created_at),
    sentAt: db.readTime(r.sent_at),
  });

  const insertOutbox = (n: NewOutboxNotification, at: string): SqlStatement => ({
    sql: `INSERT INTO ${t('notification_outbox')} (${OUTBOX_COLUMNS})
          VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, NULL, NULL, NULL, ?, NULL)
          ON CONFLICT (dedup_key) DO NOTHING RETURNING id`,
    params: [
      createId(),
      n.dedupKey,
      n.environment,
      n.channel,
      encodeJson(redactor, n.payload),
      n.dueAt ? toIsoTime(n.dueAt) : at,
      at,
    ],
  });

  const silenceFilter = (options: { environment?: string; includeExpired?: boolean; activeAt?: number }) => {
    const where: string[] = [];
    const params: SqlParam[] = [];
    if (options.environment !== undefined) {
      where.push('(environment IS NULL OR environment = ?)');
      params.push(options.environment);
    }
    if (!options.includeExpired) {
      where.push('ends_at > ?');
      params.push(options.activeAt === undefined ? nowIso() : new Date(options.activeAt).toISOString());
    }
    return { sql: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
  };

  return {
    async listAlertStates(environment) {
      const rows = await db.query(
        `SELECT ${STATE_COLUMNS} FROM ${t('alert_states')} WHERE environment = ? ORDER BY rule_id, service`,
        [environment],
      );
      return rows.map(toState);
    },

    async commitEvaluation({ environment, states, deleted = [], notifications }) {
      const at = nowIso();
      const statements: SqlStatement[] = [
        ...states.map((s) => ({
          sql: `INSERT INTO ${t('alert_states')} (${STATE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (environment, rule_id, service) DO UPDATE SET status = excluded.status,
                  state = excluded.state, updated_at = excluded.updated_at`,
          params: [environment, s.ruleId, s.service, s.status, encodeJson(redactor, s.state) ?? 'null', at],
        })),
        ...deleted.map((d) => ({
          sql: `DELETE FROM ${t('alert_states')} WHERE environment = ? AND rule_id = ? AND service = ?`,
          params: [environment, d.ruleId, d.service],
        })),
        ...notifications.map((n) => insertOutbox(n, at)),
      ];
      if (!statements.length) return { enqueued: 0 };
      const results = await db.batch(statements);
      const enqueued = results.slice(states.length + deleted.length).filter((rows) => rows.length).length;
      return { enqueued };
    },

    async addSilence(s) {
      const createdAt = nowIso();
      const rows = await db.query(
        `INSERT INTO ${t('alert_silences')} (${SILENCE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${SILENCE_COLUMNS}`,
        [
          createId(),
          s.environment ?? null,
          encodeJson(redactor, s.matchers as unknown as Parameters<typeof encodeJson>[1]),
          s.startsAt ? toIsoTime(s.startsAt) : createdAt,
          toIsoTime(s.endsAt),
          text(s.createdBy),
          text(s.comment),
          createdAt,
        ],
      );
      return toSilence(rows[0]!);
    },

    async listSilences(options = {}) {
      const filter = silenceFilter(options);
      const rows = await db.query(
        `SELECT ${SILENCE_COLUMNS} FROM ${t('alert_silences')} ${filter.sql} ORDER BY created_at DESC, id DESC`,
        filter.params,
      );
      return rows.map(toSilence);
    },

    async getSilence(id) {
      const rows = await db.query(`SELECT ${SILENCE_COLUMNS} FROM ${t('alert_silences')} WHERE id = ?`, [id]);
      return rows[0] ? toSilence(rows[0]) : undefined;
    },

    async expireSilence(id) {
      const at = nowIso();
      // An already ended silence keeps its end; one that has not started ends before it starts.
      const rows = await db.query(
        `UPDATE ${t('alert_silences')} SET ends_at = CASE WHEN ends_at > ? THEN ? ELSE ends_at END,
           starts_at = CASE WHEN starts_at > ? THEN ? ELSE starts_at END
         WHERE id = ? RETURNING ${SILENCE_COLUMNS}`,
        [at, at, at, at, id],
      );
      return rows[0] ? toSilence(rows[0]) : undefined;
    },

    async enqueueNotifications(notifications) {
      if (!notifications.length) return 0;
      const at = nowIso();
      const results = await db.batch(notifications.map((n) => insertOutbox(n, at)));
      return results.filter((rows) => rows.length).length;
    },

    async leaseNotifications({ holder, leaseMs, limit = 20 }) {
      const at = now();
      const atIso = at.toISOString();
      const until = new Date(at.getTime() + leaseMs).toISOString();
      const skipLocked = db.backend === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : '';
      const rows = await db.query(
        `UPDATE ${t('notification_outbox')} SET lease_holder = ?, lease_until = ?, attempts = attempts + 1
         WHERE id IN (
           SELECT id FROM ${t('notification_outbox')}
           WHERE status = 'pending' AND due_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
           ORDER BY due_at, id LIMIT ? ${skipLocked}
         ) RETURNING ${OUTBOX_COLUMNS}`,
        [text(holder), until, atIso, atIso, Math.max(1, Math.floor(limit))],
      );
      return rows.map(toOutbox).sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id));
    },

    async markSent(id, holder) {
      const rows = await db.query(
        `UPDATE ${t('notification_outbox')} SET status = 'sent', sent_at = ?, lease_holder = NULL,
           lease_until = NULL, last_error = NULL
         WHERE id = ? AND lease_holder = ? AND status = 'pending' RETURNING id`,
        [nowIso(), id, text(holder)],
      );
      return rows.length > 0;
    },

    async markFailed(id, holder, { error, retryAt }) {
      const rows = await db.query(
        `UPDATE ${t('notification_outbox')} SET status = ?, due_at = COALESCE(?, due_at), lease_holder = NULL,
           lease_until = NULL, last_error = ?
         WHERE id = ? AND lease_holder = ? AND status = 'pending' RETURNING id`,
        [
          retryAt ? 'pending' : 'failed',
          retryAt ? toIsoTime(retryAt) : null,
          text(error).slice(0, 500),
          id,
          text(holder),
        ],
      );
      return rows.length > 0;
    },

    async listNotifications(options = {}) {
      const where: string[] = [];
      const params: SqlParam[] = [];
      if (options.environment !== undefined) {
        where.push('environment = ?');
        params.push(options.environment);
      }
      if (options.status !== undefined) {
        where.push('status = ?');
        params.push(options.status);
      }
      params.push(Math.max(1, Math.floor(options.limit ?? 100)));
      const rows = await db.query(
        `SELECT ${OUTBOX_COLUMNS} FROM ${t('notification_outbox')} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY created_at DESC, id DESC LIMIT ?`,
        params,
      );
      return rows.map(toOutbox);
    },
  };
}
