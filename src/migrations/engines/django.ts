/**
 * Django: `<app>/migrations/NNNN_<name>.py`, recorded in `django_migrations(app, name)`. The SQL of each pending
 * migration comes from `manage.py sqlmigrate <app> <name>`.
 */
import { basename, dirname, join, resolve } from 'node:path';
import type { Diagnostic } from '../../diagnostics/index.js';
import { findUp, listDir, readChecked } from './files.js';
import { appliedIds } from './history-tables.js';
import type { Engine, EngineMigration } from './types.js';

const FILE = /^(\d{4})_(\w+)\.py$/;

/** The `<app>/migrations` folders: `dir` itself when it is one, else those of the apps directly inside it. */
async function appFolders(cwd: string, dir: string): Promise<{ app: string; folder: string }[]> {
  const abs = resolve(cwd, dir);
  if (basename(abs) === 'migrations') return [{ app: basename(dirname(abs)), folder: dir }];
  const found: { app: string; folder: string }[] = [];
  for (const entry of await listDir(cwd, dir, 'Django apps with migrations/ folders')) {
    const folder = join(dir, entry, 'migrations');
    const files = await listDir(cwd, folder, '').catch(() => []);
    if (files.some((f) => FILE.test(f))) found.push({ app: entry, folder });
  }
  return found;
}

export const django: Engine = {
  name: 'django',
  layout: '<app>/migrations/NNNN_<name>.py files',
  defaultDir: '.',
  defaultCommand: 'python manage.py migrate',
  deletedFilesIgnored:
    '`manage.py migrate` ignores rows whose migration file is gone (as after squashing and deleting the replaced migrations): fine if that was on purpose, else check out the branch that has it',
  root: (dirAbs, cwd) => findUp(dirAbs, cwd, 'manage.py'),
  sqlSource: {
    kind: 'command',
    // Django's documentation: sqlmigrate "requires an active database connection, which it will use to resolve
    // constraint names".
    needsDatabase:
      "Django's `manage.py sqlmigrate` prints a migration's SQL only with a connection to the database (it resolves constraint names there). Run 'opsbook migrate lint' (or plan) with the database URL set, e.g. against a scratch copy",
    perMigration: true,
    command: ({ pending, base }) => {
      const prefix = base && /^(.*manage\.py)\s+migrate\b/.exec(base)?.[1];
      return pending.map((m) => {
        const [app, name] = m.id.split('.');
        return `${prefix ?? 'python manage.py'} sqlmigrate ${app} ${name}`;
      });
    },
  },
  async list(cwd, dir, maxFileBytes) {
    const diagnostics: Diagnostic[] = [];
    const migrations: EngineMigration[] = [];
    for (const { app, folder } of await appFolders(cwd, dir)) {
      for (const file of await listDir(cwd, folder, this.layout)) {
        const m = FILE.exec(file);
        if (!m) continue;
        const read = await readChecked(join(cwd, folder, file), cwd, diagnostics, maxFileBytes);
        if (!read) continue;
        const name = file.replace(/\.py$/, '');
        migrations.push({
          id: `${app}.${name}`,
          version: m[1] ?? '',
          name: `${app}.${m[2]}`,
          path: join(cwd, folder, file),
          display: read.display,
        });
      }
    }
    return { migrations, diagnostics };
  },
  async readHistory(client, migrations) {
    const entries = await appliedIds(
      client,
      'django_migrations',
      "SELECT app || '.' || name AS id, applied::text AS at FROM django_migrations",
    );
    // Rows of apps without migrations in the repository (auth, contenttypes, admin, installed packages) are not ours.
    const apps = new Set(migrations.map((m) => m.id.split('.')[0]));
    return (
      entries && { table: 'django_migrations', entries: entries.filter((e) => apps.has(e.id.split('.')[0])) }
    );
  },
};
