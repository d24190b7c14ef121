/** SQL identifiers, without the driver: the migration engines' readers quote names and must not load `pg` for a lint. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
