/** Postgres versions as the linter and runner compare them. */
import type { PgVersion } from './execution-mode.js';

/** Accepts `15`, `14.2`, `"15.4"` or a `server_version_num` such as 150004. */
export function parsePgVersion(value: string | number | undefined): PgVersion | undefined {
  if (value === undefined || value === '') return undefined;
  const text = String(value).trim();
  if (/^\d{5,6}$/.test(text)) {
    const num = Number(text);
    return { major: Math.floor(num / 10000), minor: num % 10000 };
  }
  const m = /^(\d+)(?:\.(\d+))?/.exec(text);
  return m ? { major: Number(m[1]), minor: Number(m[2] ?? 0) } : undefined;
}
