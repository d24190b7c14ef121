/** The `postgres-health` check: the health queries turned into findings, with growth since the previous run. */
import { connectPostgres, requirePostgresUrl } from '../../backups/index.js';
import { printable } from '../../output/index.js';
import type { Evidence, Finding } from '../types.js';
import type { CheckContext } from './context.js';
import { type PostgresHealth, readPostgresHealth } from './postgres-health-queries.js';

const MB = 1024 * 1024;
const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;

export function healthFindings(
  h: PostgresHealth,
  previous?: { at: string; sizeBytes: number },
  now = new Date(),
): Finding[] {
  const out: Finding[] = [];
  out.push({
    severity: 'info',
    message: `database ${h.database} is ${mb(h.sizeBytes)} (PostgreSQL ${h.serverVersion})`,
  });
  if (previous) {
    const days = Math.max((now.getTime() - Date.parse(previous.at)) / 86400e3, 1 / 24);
    const grown = h.sizeBytes - previous.sizeBytes;
    out.push({
      severity: 'info',
      message: `${grown >= 0 ? 'grew' : 'shrank'} ${mb(Math.abs(grown))} since ${previous.at.slice(0, 10)} (${mb(grown / days)}/day)`,
    });
  }
  // Names and statements come from the database: any client can create a table or send a query with an escape in it.
  for (const t of h.tables.map((x) => ({ ...x, table: printable(x.table) }))) {
    const total = t.liveTuples + t.deadTuples;
    if (t.deadTuples > 1000 && t.deadTuples / total > 0.2)
      out.push({
        severity: 'warning',
        message: `${t.table}: ${t.deadTuples} dead tuples (${Math.round((100 * t.deadTuples) / total)}%), last vacuum ${t.lastVacuum ?? 'never'}: VACUUM it or tune autovacuum`,
      });
    if (t.liveTuples > 1000 && !t.lastAnalyze)
      out.push({
        severity: 'warning',
        message: `${t.table}: ${t.liveTuples} rows never analyzed: run ANALYZE ${t.table}`,
      });
  }
  for (const i of h.unusedIndexes)
    out.push({
      severity: 'info',
      message: `index ${printable(i.index)} on ${printable(i.table)} (${mb(i.bytes)}) has not been used since statistics were reset`,
    });
  for (const group of h.duplicateIndexes)
    out.push({
      severity: 'warning',
      message: `duplicate indexes: ${group.map((n) => printable(n)).join(', ')}: drop all but one`,
    });
  if (h.connections.used > 0.8 * h.connections.max)
    out.push({
      severity: 'warning',
      message: `${h.connections.used} of ${h.connections.max} connections in use: add a pooler or raise max_connections`,
    });
  if (h.topQueries === null)
    out.push({
      severity: 'info',
      message: h.topQueriesMissing ?? 'pg_stat_statements is not installed: no top queries',
    });
  else
    for (const q of h.topQueries.slice(0, 3))
      out.push({
        severity: 'info',
        message: `top query: ${q.calls} calls, ${q.meanMs.toFixed(1)} ms mean: ${printable(q.query.replace(/\s+/g, ' '))}`,
      });
  return out;
}

export async function postgresHealthCheck(ctx: CheckContext): Promise<Evidence> {
  const variable = ctx.task.urlEnv ?? ctx.config.migrations?.urlEnv ?? 'DATABASE_URL';
  const url = requirePostgresUrl(ctx.env[variable], variable);
  const client = await connectPostgres(url, 'maintenance');
  try {
    const health = await readPostgresHealth(client);
    // No table at all is nearly always the wrong database (the server's default `postgres`, a fresh branch): a pass
    // there would say the application's database is healthy after looking at none of it.
    if (!health.tables.length)
      return {
        ok: false,
        summary: `cannot tell: database ${health.database} has no tables, so there is nothing to check: check that ${variable} points at the application's database`,
        findings: [],
        data: health,
      };
    const prev = ctx.previous?.data as PostgresHealth | undefined;
    const findings = healthFindings(
      health,
      prev && ctx.previousAt ? { at: ctx.previousAt, sizeBytes: prev.sizeBytes } : undefined,
      ctx.now,
    );
    const warnings = findings.filter((f) => f.severity === 'warning').length;
    return {
      ok: warnings === 0,
      summary: `${health.database}: ${mb(health.sizeBytes)}, ${health.tables.length} tables, ${warnings} warning(s)`,
      findings,
      data: health,
    };
  } finally {
    await client.end().catch(() => {});
  }
}
