/**
 * Alembic: `versions/*.py` revisions linked by `down_revision`, and `alembic_version` holding only the current head(s),
 * so what is applied is every ancestor of a recorded head. Two heads in the files make `alembic upgrade head` refuse;
 * opsbook refuses them up front, with the fix. The SQL comes from Alembic's offline mode (`upgrade --sql`).
 */
import { join } from 'node:path';
import type { Diagnostic } from '../../diagnostics/index.js';
import { duplicateVersion } from '../files.js';
import { findUp, listDir, readChecked } from './files.js';
import { appliedIds } from './history-tables.js';
import type { Engine, EngineMigration } from './types.js';

const REVISION = /^revision\s*(?::[^=\n]+)?=\s*['"]([^'"]+)['"]/m;
/** The value may be a tuple wrapped over several lines (a formatter's merge revision). */
const DOWN = /^down_revision\s*(?::[^=\n]+)?=\s*(\([^)]*\)|\[[^\]]*\]|.+)$/m;

/** Revisions no other revision follows: `alembic heads`. */
export function alembicHeads(migrations: readonly EngineMigration[]): string[] {
  const parents = new Set(migrations.flatMap((m) => m.parents ?? []));
  return migrations.filter((m) => !parents.has(m.id)).map((m) => m.id);
}

function ancestors(head: string, byId: Map<string, EngineMigration>): string[] {
  const seen = new Set<string>();
  const stack = [head];
  while (stack.length) {
    const id = stack.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(byId.get(id)?.parents ?? []));
  }
  return [...seen];
}

const RUNNING = /^-- Running upgrade .*? -> (\S+)\s*$/;
/** Alembic's own transaction lines: it runs them, opsbook only reads the SQL between them. */
const TRANSACTION = /^\s*(?:BEGIN|COMMIT)\s*;\s*$/i;

/**
 * Offline output is one script: a preamble (BEGIN, the alembic_version table), then `-- Running upgrade A -> B` before
 * each revision's SQL. Each revision becomes its own part, padded with the lines before it.
 */
export function splitOfflineSql(output: string): { id: string; text: string }[] {
  const lines = output.split('\n');
  const parts: { id: string; start: number; end: number }[] = [];
  lines.forEach((line, i) => {
    const id = RUNNING.exec(line)?.[1];
    if (!id) return;
    const last = parts.at(-1);
    if (last) last.end = i;
    parts.push({ id, start: i, end: lines.length });
  });
  return parts.map(({ id, start, end }) => ({
    id,
    text:
      '\n'.repeat(start) +
      lines
        .slice(start, end)
        .map((line) => (TRANSACTION.test(line) ? '' : line))
        .join('\n'),
  }));
}

export const alembic: Engine = {
  name: 'alembic',
  layout: 'alembic/versions/*.py revision files',
  defaultDir: 'alembic/versions',
  defaultCommand: 'alembic upgrade head',
  root: (dirAbs, cwd) => findUp(dirAbs, cwd, 'alembic.ini'),
  sqlSource: {
    kind: 'command',
    // Offline mode prints the SQL from the database's current head(s) to the files' head, without connecting.
    command: ({ applied, all, base }) => {
      const byId = new Map(all.map((m) => [m.id, m]));
      const appliedSet = new Set(applied);
      const current = [...appliedSet].filter(
        (id) => ![...appliedSet].some((other) => other !== id && byId.get(other)?.parents?.includes(id)),
      );
      const range = current.length === 1 ? `${current[0]}:head` : 'head';
      const upgrade = base && /\balembic\s+upgrade\s+head\b/.test(base) ? base : 'alembic upgrade head';
      return [upgrade.replace(/\bupgrade\s+head\b/, `upgrade ${range} --sql`)];
    },
    split: splitOfflineSql,
  },
  async list(cwd, dir, maxFileBytes) {
    const diagnostics: Diagnostic[] = [];
    const migrations: EngineMigration[] = [];
    for (const file of await listDir(cwd, dir, this.layout)) {
      if (!file.endsWith('.py') || file.startsWith('__')) continue;
      const read = await readChecked(join(cwd, dir, file), cwd, diagnostics, maxFileBytes);
      if (!read) continue;
      const revision = REVISION.exec(read.text)?.[1];
      if (!revision) continue;
      const down = DOWN.exec(read.text)?.[1] ?? 'None';
      const parents = [...down.matchAll(/['"]([^'"]+)['"]/g)].map((m) => m[1] ?? '');
      const name = file.replace(/\.py$/, '').replace(new RegExp(`^${revision}_?`), '');
      migrations.push({
        id: revision,
        version: revision,
        name,
        path: join(cwd, dir, file),
        display: read.display,
        parents,
      });
    }
    // Alembic refuses a revision id defined twice ("present more than once"): which file is meant is unknown.
    const byId = new Map<string, EngineMigration>();
    for (const m of migrations) {
      const first = byId.get(m.id);
      if (first) diagnostics.push(duplicateVersion(m, first));
      else byId.set(m.id, m);
    }
    // Parents before children, so plans and status read in the order Alembic applies them.
    const ordered: EngineMigration[] = [];
    const placed = new Set<string>();
    while (ordered.length < migrations.length) {
      const next = migrations.filter(
        (m) =>
          !placed.has(m.id) &&
          (m.parents ?? []).every((p) => placed.has(p) || !migrations.some((x) => x.id === p)),
      );
      if (!next.length) break;
      for (const m of next) {
        placed.add(m.id);
        ordered.push(m);
      }
    }
    // What cannot be placed once each id is placed once waits on itself: Alembic stops with "Cycle is detected".
    const stuck = [...byId.values()].filter((m) => !placed.has(m.id));
    if (stuck.length)
      diagnostics.push({
        severity: 'error',
        code: 'migration/alembic-cycle',
        message: `the down_revision links of ${stuck.length} Alembic revision(s) form a cycle (${stuck.map((m) => `${m.id} -> ${(m.parents ?? []).join(', ')}`).join('; ')}): no order applies them`,
        hint: 'point each down_revision at the revision it was generated after; `alembic history` shows the chain',
        location: { file: stuck[0]?.display ?? dir },
      });
    const heads = alembicHeads(migrations);
    if (heads.length > 1) {
      diagnostics.push({
        severity: 'error',
        code: 'migration/alembic-multiple-heads',
        message: `the Alembic history has ${heads.length} heads (${heads.join(', ')}): 'alembic upgrade head' refuses to run, and the order between them is undefined`,
        hint: 'merge them with \'alembic merge heads -m "merge"\' and commit the merge revision',
        location: { file: dir },
      });
    }
    return { migrations: ordered.length === migrations.length ? ordered : migrations, diagnostics };
  },
  async readHistory(client, migrations) {
    const heads = await appliedIds(
      client,
      'alembic_version',
      'SELECT version_num AS id, NULL AS at FROM alembic_version',
    );
    if (!heads) return undefined;
    const byId = new Map(migrations.map((m) => [m.id, m]));
    const diagnostics: Diagnostic[] = [];
    const applied = new Set<string>();
    for (const head of heads) {
      if (!byId.has(head.id)) {
        diagnostics.push({
          severity: 'error',
          code: 'migration/unknown-revision',
          message: `the database is at Alembic revision ${head.id}, which no file in the versions folder defines`,
          hint: 'check out the branch that has it, or stamp the database with the right revision (alembic stamp)',
        });
      }
      for (const id of ancestors(head.id, byId)) applied.add(id);
    }
    return {
      table: 'alembic_version',
      entries: [...applied].map((id) => ({ id, state: 'applied' as const })),
      diagnostics,
    };
  },
};
