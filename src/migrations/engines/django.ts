/**
 * Django: `<app>/migrations/NNNN_<name>.py`, recorded in `django_migrations(app, name)`. The SQL of each pending
 * migration comes from `manage.py sqlmigrate <app> <name>`.
 */
import { join, relative, resolve } from 'node:path';
import type { Diagnostic } from '../../diagnostics/index.js';
import { DJANGO_MIGRATION_FILE, findDjangoApps } from './django-apps.js';
import { findUp, listDir, readChecked } from './files.js';
import { appliedIds } from './history-tables.js';
import type { Engine, EngineMigration } from './types.js';

/** The apps with migrations under `dir`, by label; two apps with one label are a warning, as Django refuses them. */
async function appFolders(
  cwd: string,
  dir: string,
  diagnostics: Diagnostic[],
): Promise<{ app: string; folder: string }[]> {
  // A missing folder is a clear error (migration/no-directory), not zero apps.
  await listDir(cwd, dir, 'Django apps with migrations/ folders');
  const apps = findDjangoApps(resolve(cwd, dir)).map((a) => ({
    app: a.label,
    folder: relative(cwd, a.folder),
  }));
  for (const label of new Set(apps.map((a) => a.app))) {
    const same = apps.filter((a) => a.app === label);
    if (same.length > 1)
      diagnostics.push({
        severity: 'warning',
        code: 'migration/django-duplicate-label',
        message: `${same.length} Django apps have the label '${label}' (${same.map((a) => a.folder).join(', ')}): django_migrations cannot tell their migrations apart`,
        hint: "Django refuses both in INSTALLED_APPS: give one a `label = '...'` in its AppConfig (apps.py), or set migrations.dir to the folder of the installed one",
      });
  }
  return apps;
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
    for (const { app, folder } of await appFolders(cwd, dir, diagnostics)) {
      for (const file of await listDir(cwd, folder, this.layout)) {
        const m = DJANGO_MIGRATION_FILE.exec(file);
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
