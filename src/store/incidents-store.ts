/** `store.incidents` in the SQL both backends understand: versioned updates, keyed timeline entries. */
import type { Redactor } from '../redact/index.js';
import { createId } from './ids.js';
import type {
  IncidentPatch,
  IncidentRecord,
  IncidentsStore,
  IncidentsTable,
  NewTimelineEntry,
  TimelineEntry,
} from './incidents-types.js';
import type { Row, SqlExecutor, SqlParam, SqlStatement } from './sql-executor.js';
import { encodeJson, toIsoTime } from './sql-executor.js';
import type { JsonValue } from './types.js';

export interface IncidentsStoreOptions {
  redactor: Redactor;
  now: () => Date;
}

const COLUMNS =
  'id, number, environment, title, severity, state, services, commander, dedup_key, opened_at, acknowledged_at, acknowledged_by, resolved_at, summary, escalation, next_at, version, updated_at';
const OUTBOX_COLUMNS =
  'id, dedup_key, environment, channel, payload, status, attempts, due_at, lease_holder, lease_until, last_error, created_at, sent_at';
const ENTRY_COLUMNS = 'id, incident_id, at, kind, message, actor, public, data, key';

const PATCH_COLUMNS: Record<keyof IncidentPatch, string> = {
  title: 'title',
  severity: 'severity',
  state: 'state',
  services: 'services',
  commander: 'commander',
  acknowledgedAt: 'acknowledged_at',
  acknowledgedBy: 'acknowledged_by',
  resolvedAt: 'resolved_at',
  summary: 'summary',
  escalation: 'escalation',
  nextAt: 'next_at',
};
const TIME_FIELDS = new Set(['acknowledgedAt', 'resolvedAt', 'nextAt']);
const JSON_FIELDS = new Set(['services', 'escalation']);

export function createIncidentsStore(
  db: SqlExecutor,
  { redactor, now }: IncidentsStoreOptions,
): IncidentsStore {
  const t = (name: IncidentsTable) => db.table(name);
  const nowIso = () => now().toISOString();
  const text = (v: string | null | undefined) => (v == null ? null : redactor.redact(v));
  const time = (v: unknown) => db.readTime(v) ?? '';

  const toIncident = (r: Row): IncidentRecord => ({
    id: String(r.id),
    number: Number(r.number),
    environment: String(r.environment),
    title: String(r.title),
    severity: String(r.severity),
    state: String(r.state) as IncidentRecord['state'],
    services: (db.readJson(r.services) ?? []) as string[],
    commander: r.commander == null ? null : String(r.commander),
    dedupKey: r.dedup_key == null ? null : String(r.dedup_key),
    openedAt: time(r.opened_at),
    acknowledgedAt: db.readTime(r.acknowledged_at),
    acknowledgedBy: r.acknowledged_by == null ? null : String(r.acknowledged_by),
    resolvedAt: db.readTime(r.resolved_at),
    summary: r.summary == null ? null : String(r.summary),
    escalation: db.readJson(r.escalation),
    nextAt: db.readTime(r.next_at),
    version: Number(r.version),
    updatedAt: time(r.updated_at),
  });
  const toEntry = (r: Row): TimelineEntry => ({
    id: Number(r.id),
    incidentId: String(r.incident_id),
    at: time(r.at),
    kind: String(r.kind),
    message: String(r.message),
    actor: r.actor == null ? null : String(r.actor),
    public: Number(r.public) === 1,
    data: db.readJson(r.data),
    key: r.key == null ? null : String(r.key),
  });

  /** Inserts an entry only while the incident has `version` (so only with the update that produced it). */
  const insertEntry = (
    incidentId: string,
    e: NewTimelineEntry,
    at: string,
    version?: number,
  ): SqlStatement => ({
    sql: `INSERT INTO ${t('incident_timeline')} (incident_id, at, kind, message, actor, public, data, key)
          SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (
            SELECT 1 FROM ${t('incidents')} WHERE id = ?${version === undefined ? '' : ' AND version = ?'})
          ON CONFLICT (key) DO NOTHING RETURNING id`,
    params: [
      incidentId,
      e.at ? toIsoTime(e.at) : at,
      e.kind,
      text(e.message),
      text(e.actor ?? null),
      e.public ? 1 : 0,
      encodeJson(redactor, e.data),
      e.key ?? null,
      incidentId,
      ...(version === undefined ? [] : [version]),
    ],
  });

  const select = async (where: string, params: SqlParam[]) =>
    (await db.query(`SELECT ${COLUMNS} FROM ${t('incidents')} WHERE ${where}`, params)).map(toIncident);

  const store: IncidentsStore = {
    async openIncident(n) {
      for (let attempt = 0; ; attempt++) {
        const at = nowIso();
        const openedAt = n.openedAt ? toIsoTime(n.openedAt) : at;
        const id = createId(Date.parse(openedAt));
        try {
          const [inserted = []] = await db.batch([
            {
              sql: `INSERT INTO ${t('incidents')} (${COLUMNS})
                    SELECT ?, COALESCE(MAX(number), 0) + 1, ?, ?, ?, 'triggered', ?, ?, ?, ?, NULL, NULL, NULL, NULL, ?, ?, 1, ?
                    FROM ${t('incidents')} WHERE true
                    ON CONFLICT (environment, dedup_key) WHERE resolved_at IS NULL DO NOTHING RETURNING ${COLUMNS}`,
              params: [
                id,
                n.environment,
                text(n.title),
                n.severity,
                encodeJson(redactor, n.services ?? []),
                text(n.commander ?? null),
                n.dedupKey ?? null,
                openedAt,
                encodeJson(redactor, n.escalation),
                n.nextAt ? toIsoTime(n.nextAt) : null,
                at,
              ],
            },
            ...(n.timeline ?? []).map((e) => insertEntry(id, e, openedAt)),
          ]);
          if (inserted[0]) return { incident: toIncident(inserted[0]), created: true };
          const [existing] = await select('environment = ? AND dedup_key = ? AND resolved_at IS NULL', [
            n.environment,
            n.dedupKey ?? '',
          ]);
          if (existing) return { incident: existing, created: false };
        } catch (error) {
          // Two openers took the same number: the loser tries again with the next one.
          if (attempt >= 5 || !/unique|duplicate/i.test((error as Error).message)) throw error;
        }
        if (attempt >= 5) throw new Error('could not open the incident: it kept conflicting');
      }
    },

    async getIncident(ref) {
      const byNumber = /^#?\d+$/.test(ref);
      const [row] = await select(byNumber ? 'number = ?' : 'id = ?', [
        byNumber ? Number(ref.replace('#', '')) : ref,
      ]);
      return row;
    },

    async listIncidents(options = {}) {
      const where = ['1 = 1'];
      const params: SqlParam[] = [];
      if (options.environment !== undefined) {
        where.push('environment = ?');
        params.push(options.environment);
      }
      if (options.open) where.push('resolved_at IS NULL');
      if (options.since !== undefined) {
        where.push('(resolved_at IS NULL OR resolved_at >= ?)');
        params.push(toIsoTime(options.since));
      }
      params.push(Math.max(1, Math.floor(options.limit ?? 100)));
      return select(`${where.join(' AND ')} ORDER BY opened_at DESC, id DESC LIMIT ?`, params);
    },

    async updateIncident(id, patch, options = {}) {
      for (let attempt = 0; attempt < 5; attempt++) {
        const current = await store.getIncident(id);
        if (!current) return undefined;
        if (options.ifVersion !== undefined && current.version !== options.ifVersion) return undefined;
        if (options.ifState && !options.ifState.includes(current.state)) return undefined;
        const at = nowIso();
        const fields: [string, SqlParam][] = [];
        for (const [key, value] of Object.entries(patch) as [keyof IncidentPatch, unknown][]) {
          if (value === undefined) continue;
          const column = PATCH_COLUMNS[key];
          if (TIME_FIELDS.has(key)) fields.push([column, value == null ? null : toIsoTime(String(value))]);
          else if (JSON_FIELDS.has(key)) fields.push([column, encodeJson(redactor, value as JsonValue)]);
          else
            fields.push([
              column,
              key === 'state' || key === 'severity' ? String(value) : text(value as string | null),
            ]);
        }
        const set = [...fields.map(([c]) => `${c} = ?`), 'version = ?', 'updated_at = ?'].join(', ');
        const next = current.version + 1;
        const [updated = []] = await db.batch([
          {
            sql: `UPDATE ${t('incidents')} SET ${set} WHERE id = ? AND version = ? RETURNING ${COLUMNS}`,
            params: [...fields.map(([, v]) => v), next, at, current.id, current.version],
          },
          ...(options.timeline ?? []).map((e) => insertEntry(current.id, e, at, next)),
          ...(options.notifications ?? []).map((n) => ({
            sql: `INSERT INTO ${db.table('notification_outbox')} (${OUTBOX_COLUMNS})
                  SELECT ?, ?, ?, ?, ?, 'pending', 0, ?, NULL, NULL, NULL, ?, NULL
                  WHERE EXISTS (SELECT 1 FROM ${t('incidents')} WHERE id = ? AND version = ?)
                  ON CONFLICT (dedup_key) DO NOTHING`,
            params: [
              createId(),
              n.dedupKey,
              n.environment,
              n.channel,
              encodeJson(redactor, n.payload),
              n.dueAt ? toIsoTime(n.dueAt) : at,
              at,
              current.id,
              next,
            ],
          })),
        ]);
        if (updated[0]) return toIncident(updated[0]);
        // Someone else updated it first: re-check the conditions against what they wrote.
        if (options.ifVersion !== undefined) return undefined;
      }
      throw new Error(`incident ${id} kept changing while updating it`);
    },

    async addTimeline(incidentId, entries) {
      if (!entries.length) return 0;
      const at = nowIso();
      const results = await db.batch(entries.map((e) => insertEntry(incidentId, e, at)));
      return results.filter((rows) => rows.length).length;
    },

    async listTimeline(incidentId) {
      const rows = await db.query(
        `SELECT ${ENTRY_COLUMNS} FROM ${t('incident_timeline')} WHERE incident_id = ? ORDER BY at, id`,
        [incidentId],
      );
      return rows.map(toEntry);
    },

    async findTimelineKey(key) {
      const rows = await db.query(`SELECT incident_id FROM ${t('incident_timeline')} WHERE key = ?`, [key]);
      return rows[0] ? String(rows[0].incident_id) : undefined;
    },

    listDueIncidents: (environment, at) =>
      select(
        'environment = ? AND resolved_at IS NULL AND next_at IS NOT NULL AND next_at <= ? ORDER BY next_at, id',
        [environment, toIsoTime(at)],
      ),
  };
  return store;
}
