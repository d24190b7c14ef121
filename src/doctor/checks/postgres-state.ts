/**
 * A reachable PostgreSQL's live state: connections against max_connections, long-running and idle-in-transaction
 * sessions, lock waits, the slowest statements (pg_stat_statements when installed) and pending migrations.
 */
import { findConnectionUrl } from '../../health/index.js';
import { migrateOptionsFromConfig, migrationStatus, withClient } from '../../migrations/index.js';
import { type DoctorCheck, type DoctorContext, type Finding, RANK } from '../types.js';

const LONG_RUNNING = '5 minutes';
const IDLE_IN_TX = '1 minute';

async function liveState(url: string, service: string, ctx: DoctorContext): Promise<Finding[]> {
  const base = { check: 'database', service, rank: RANK.liveState };
  const cut = (q: unknown) =>
    ctx.redactor.redact(
      String(q ?? '')
        .replace(/\s+/g, ' ')
        .slice(0, 100),
    );
  return withClient(url, 'doctor', async (client) => {
    const findings: Finding[] = [];
    const conn = await client.query<{ used: string; max: string }>(
      `select (select count(*) from pg_stat_activity) as used, current_setting('max_connections') as max`,
    );
    const used = Number(conn.rows[0]?.used);
    const max = Number(conn.rows[0]?.max);
    findings.push({
      ...base,
      verdict: used / max > 0.8 ? 'warning' : 'ok',
      looked: `connections of ${service} against max_connections`,
      found: `${used} of ${max} connections in use`,
      ...(used / max > 0.8
        ? { fix: "put a pooler (PgBouncer, the platform pooler URL) in front, or lower the apps' pool sizes" }
        : {}),
    });
    const long = await client.query<{ pid: number; state: string; age: string; query: string }>(
      `select pid, state, date_trunc('second', now() - coalesce(xact_start, query_start))::text as age, query
         from pg_stat_activity
        where pid <> pg_backend_pid() and datname = current_database()
          and ((state = 'active' and now() - query_start > interval '${LONG_RUNNING}')
            or (state like 'idle in transaction%' and now() - state_change > interval '${IDLE_IN_TX}'))
        order by 3 desc limit 5`,
    );
    findings.push({
      ...base,
      verdict: long.rows.length ? 'warning' : 'ok',
      looked: `sessions of ${service} running longer than ${LONG_RUNNING} or idle in a transaction longer than ${IDLE_IN_TX}`,
      found: long.rows.length ? `${long.rows.length} such session(s)` : 'none',
      ...(long.rows.length
        ? {
            fix: 'find what holds them (the query below); pg_cancel_backend(pid) stops a query, pg_terminate_backend(pid) ends a stuck session; set idle_in_transaction_session_timeout',
            details: long.rows.map((r) => `pid ${r.pid} ${r.state} for ${r.age}: ${cut(r.query)}`),
          }
        : {}),
    });
    const waits = await client.query<{ waiting: string }>(
      `select count(*) as waiting from pg_locks l join pg_stat_activity a using (pid) where not l.granted and a.datname = current_database()`,
    );
    const waiting = Number(waits.rows[0]?.waiting);
    findings.push({
      ...base,
      verdict: waiting ? 'warning' : 'ok',
      looked: `lock waits in ${service}`,
      found: waiting ? `${waiting} lock request(s) waiting` : 'no session waits for a lock',
      ...(waiting
        ? {
            fix: 'a migration or a long transaction holds a lock others wait for: see the long sessions above',
          }
        : {}),
    });
    const hasStatements = await client.query(
      `select 1 from pg_extension where extname = 'pg_stat_statements'`,
    );
    if (hasStatements.rowCount) {
      const slow = await client
        .query<{ query: string; mean: string; calls: string }>(
          `select query, round(mean_exec_time::numeric, 1)::text as mean, calls::text from pg_stat_statements order by mean_exec_time desc limit 3`,
        )
        .catch(() => undefined);
      if (slow?.rows.length) {
        findings.push({
          ...base,
          rank: RANK.info,
          verdict: 'ok',
          looked: `the slowest statements of ${service} (pg_stat_statements)`,
          found: `slowest mean ${slow.rows[0]?.mean}ms`,
          details: slow.rows.map((r) => `${r.mean}ms × ${r.calls}: ${cut(r.query)}`),
        });
      }
    }
    return findings;
  });
}

async function pendingMigrations(ctx: DoctorContext, service: string): Promise<Finding[]> {
  if (ctx.config.migrations?.database !== service) return [];
  const options = migrateOptionsFromConfig(ctx.config, {
    cwd: ctx.cwd,
    env: ctx.env,
    redactor: ctx.redactor,
    signal: ctx.signal,
  });
  if (!options?.databaseUrl) return [];
  const base = {
    check: 'migrations',
    service,
    rank: RANK.liveState,
    looked: `the migrations in ${ctx.config.migrations.dir} against ${service}`,
  };
  try {
    const status = await migrationStatus(options);
    const pending = status.migrations.filter((m) => m.state === 'pending');
    const broken = status.migrations.filter((m) => !['pending', 'applied'].includes(m.state));
    if (broken.length)
      return [
        {
          ...base,
          verdict: 'problem',
          found: broken.map((m) => `${m.version} ${m.name} is ${m.state}`).join('; '),
          fix: "'opsbook migrate status' explains each; 'opsbook migrate repair' once understood",
        },
      ];
    // No file at all: the folder is wrong (or empty), so "every migration is applied" would be said of nothing.
    if (!status.migrations.length)
      return [
        {
          ...base,
          verdict: 'warning',
          found: `no migration files in ${ctx.config.migrations.dir}, so none could be compared with the database`,
          fix: 'point migrations.dir at the folder that holds the migrations (and migrations.engine at the tool that writes them)',
        },
      ];
    if (pending.length)
      return [
        {
          ...base,
          verdict: 'warning',
          found: `${pending.length} pending: ${pending.map((m) => m.version).join(', ')}`,
          fix: "the code may expect them: 'opsbook migrate plan', then 'opsbook migrate up'",
        },
      ];
    return [{ ...base, verdict: 'ok', found: 'every migration is applied' }];
  } catch (error) {
    return [{ ...base, verdict: 'skipped', found: error instanceof Error ? error.message : String(error) }];
  }
}

export const postgresStateCheck: DoctorCheck = {
  name: 'database',
  async run(ctx) {
    const findings: Finding[] = [];
    for (const s of ctx.health.services) {
      if (s.kind !== 'database') continue;
      const up = s.probes.some((p) => p.kind === 'postgres' && p.result.ok);
      if (!up) continue;
      const service = ctx.services.find((x) => x.name === s.service)!;
      const source = findConnectionUrl(service, ctx.services, ctx.env);
      if ('reason' in source || source.engine !== 'postgres') continue;
      try {
        findings.push(...(await liveState(source.url, s.service, ctx)));
      } catch (error) {
        findings.push({
          check: 'database',
          service: s.service,
          rank: RANK.liveState,
          verdict: 'skipped',
          looked: `the live state of ${s.service}`,
          found: error instanceof Error ? error.message : String(error),
        });
      }
      findings.push(...(await pendingMigrations(ctx, s.service)));
    }
    return findings;
  },
};
