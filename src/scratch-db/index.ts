/**
 * Throwaway databases (`migrate test`, the backup restore drill): named with their creation time, so that a later
 * run can drop the ones a killed run left behind (kill -9, a lost CI runner) once no run can still be using them.
 */
import { randomBytes } from 'node:crypto';
import { quoteIdent } from '../sql/index.js';

interface Queryable {
  query<R>(sql: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

/** Older than any run can be (a migration command or a restore times out within 24 h): its run is over. */
const ABANDONED_AFTER_MS = 25 * 3_600_000;

/** `<prefix><unix seconds>_<pid>_<6 hex>`: unique, and it says when it was made. */
export function scratchName(prefix: string, now = Date.now()): string {
  return `${prefix}${Math.floor(now / 1000)}_${process.pid}_${randomBytes(3).toString('hex')}`;
}

/** Drops the `prefix` databases over 25 h old that no session uses; their names. */
export async function dropAbandonedScratch(
  admin: Queryable,
  prefix: string,
  now = Date.now(),
): Promise<string[]> {
  const { rows } = await admin.query<{ datname: string }>(
    `SELECT datname FROM pg_database d
     WHERE starts_with(datname, $1)
       AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)`,
    [prefix],
  );
  const dropped: string[] = [];
  for (const { datname } of rows) {
    const created = /^(\d{10})_\d+_[0-9a-f]{6}$/.exec(datname.slice(prefix.length))?.[1];
    if (!created || now - Number(created) * 1000 < ABANDONED_AFTER_MS) continue;
    // Not WITH (FORCE): a session that connected since the query above means it is in use after all.
    if (
      await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(datname)}`).then(
        () => true,
        () => false,
      )
    )
      dropped.push(datname);
  }
  return dropped;
}
