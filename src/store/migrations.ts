/** What both backends' schema migrations share: the shape of a migration and the downgrade guard. */
import { UserError } from '../errors.js';

export interface Migration {
  version: number;
  name: string;
  /** Several statements separated by semicolons. */
  sql: string;
}

/** A store written by a newer opsbook must not be used (or "fixed") by an older one. */
export function assertNotNewer(applied: Iterable<number>, migrations: Migration[], where: string): void {
  const known = Math.max(0, ...migrations.map((m) => m.version));
  const newest = Math.max(0, ...applied);
  if (newest > known) {
    throw new UserError(
      `the state store ${where} has schema version ${newest}, newer than this opsbook knows (${known})`,
      'upgrade opsbook to the version your team uses',
      'store/newer-schema',
    );
  }
}
