/**
 * drizzle-kit: `drizzle/<NNNN>_<tag>.sql` listed in `drizzle/meta/_journal.json`, recorded in
 * `drizzle.__drizzle_migrations(id, hash, created_at)` where created_at is the journal entry's `when` and hash the
 * sha256 of the file.
 */
import { readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { Diagnostic } from '../../diagnostics/index.js';
import { UserError } from '../../errors.js';
import { findUp, listDir, readChecked, sha256 } from './files.js';
import { appliedIds } from './history-tables.js';
import type { Engine, EngineMigration } from './types.js';

export const drizzle: Engine = {
  name: 'drizzle',
  layout: 'drizzle/<NNNN>_<tag>.sql files with drizzle/meta/_journal.json',
  defaultDir: 'drizzle',
  defaultCommand: 'npx drizzle-kit migrate',
  sqlSource: { kind: 'files' },
  root: (dirAbs, cwd) => findUp(dirAbs, cwd, 'package.json'),
  async list(cwd, dir, maxFileBytes) {
    const journalPath = resolve(cwd, dir, 'meta', '_journal.json');
    const text = await readFile(journalPath, 'utf8').catch(() => undefined);
    if (text === undefined) {
      throw new UserError(
        `no drizzle journal at ${relative(cwd, journalPath)}`,
        'point migrations.dir at the drizzle-kit output folder (the one with meta/_journal.json)',
        'migration/no-directory',
      );
    }
    let journal: unknown;
    try {
      journal = JSON.parse(text);
    } catch (error) {
      throw new UserError(
        `${relative(cwd, journalPath)} is not valid JSON: ${(error as Error).message}`,
        'regenerate it with drizzle-kit generate',
      );
    }
    // Valid JSON of another shape (a merge gone wrong, a hand edit) is as unreadable as invalid JSON.
    const raw = (journal as { entries?: unknown } | null)?.entries ?? [];
    if (
      typeof journal !== 'object' ||
      journal === null ||
      Array.isArray(journal) ||
      !Array.isArray(raw) ||
      raw.some((e) => typeof e !== 'object' || e === null)
    ) {
      throw new UserError(
        `${relative(cwd, journalPath)} is not a drizzle journal: expected an object whose "entries" is a list of { tag, when }`,
        'regenerate it with drizzle-kit generate, or restore it from version control',
      );
    }
    const entries = raw as { when?: number; tag?: string }[];
    const diagnostics: Diagnostic[] = [];
    const migrations: EngineMigration[] = [];
    // drizzle-kit applies only what the journal lists: a SQL file beside them that it does not list never runs.
    const listed = new Set(entries.map((e) => `${e.tag}.sql`));
    for (const file of await listDir(cwd, dir, this.layout)) {
      if (!file.endsWith('.sql') || listed.has(file)) continue;
      diagnostics.push({
        severity: 'error',
        code: 'migration/not-in-journal',
        message: `${relative(cwd, join(cwd, dir, file))} is not in ${relative(cwd, journalPath)}: drizzle-kit migrate never applies it`,
        hint: "create migrations with 'drizzle-kit generate' ('--custom' for hand-written SQL, then paste it in), or delete the file",
        location: { file: relative(cwd, join(cwd, dir, file)) },
      });
    }
    for (const entry of entries) {
      if (!entry.tag || entry.when === undefined) continue;
      const path = join(cwd, dir, `${entry.tag}.sql`);
      const refused = diagnostics.length;
      const read = await readChecked(path, cwd, diagnostics, maxFileBytes).catch(() => undefined);
      // A file refused for its encoding or size already has its diagnostic.
      if (!read && diagnostics.length > refused) continue;
      if (!read) {
        diagnostics.push({
          severity: 'error',
          code: 'migration/missing-file',
          message: `the drizzle journal lists ${entry.tag} but ${relative(cwd, path)} is missing or unreadable`,
          hint: 'restore the file, or regenerate the journal with drizzle-kit',
          location: { file: relative(cwd, journalPath) },
        });
        continue;
      }
      const m = /^(\d+)_?(.*)$/.exec(entry.tag);
      migrations.push({
        id: String(entry.when),
        version: m?.[1] ?? entry.tag,
        name: m?.[2] ?? entry.tag,
        path,
        display: read.display,
        sql: read.text,
        checksum: sha256(read.text),
      });
    }
    return { migrations, diagnostics };
  },
  async readHistory(client) {
    const table = 'drizzle.__drizzle_migrations';
    const entries = await appliedIds(
      client,
      table,
      `SELECT created_at::text AS id, NULL AS at FROM ${table}`,
    );
    return entries && { table, entries };
  },
};
