/**
 * Where a Django project keeps its apps' migrations. Apps are packages anywhere under the project, not only beside
 * manage.py: `apps/users/`, `src/shop/orders/` (cookiecutter-django, Wagtail, most larger projects). Django records
 * a migration under its app's label, which is the last part of the app's module path unless its AppConfig sets
 * `label`, so the label comes from there.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface DjangoApp {
  /** The app label django_migrations records. */
  label: string;
  /** The app's `migrations` folder, absolute. */
  folder: string;
}

export const DJANGO_MIGRATION_FILE = /^(\d{4})_(\w+)\.py$/;

/** Deep enough for `src/<project>/apps/<app>/migrations`; a walk that never ends in a large monorepo is not worth it. */
const MAX_DEPTH = 5;
/**
 * Folders that hold no installed app of the project's own: packages, caches, front-end code, and test suites, whose
 * apps (`tests/testapp/migrations`) exist only while the tests run, so their migrations would look pending forever.
 */
const SKIP = new Set([
  'node_modules',
  '__pycache__',
  'site-packages',
  'venv',
  'env',
  'static',
  'media',
  'templates',
  'tests',
  'test',
  'docs',
]);

/** The apps under `root` (absolute) with at least one numbered migration, by folder; `root` itself may be one. */
export function findDjangoApps(root: string): DjangoApp[] {
  if (basename(root) === 'migrations') return hasMigrations(root) ? [app(root)] : [];
  const apps: DjangoApp[] = [];
  const visit = (dir: string, depth: number) => {
    let entries: string[];
    try {
      entries = readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !SKIP.has(e.name))
        .map((e) => e.name)
        .sort();
    } catch {
      return;
    }
    // A virtualenv under any name (.venv is skipped above; `py311/`, say) holds installed apps, not the project's.
    if (existsSync(join(dir, 'pyvenv.cfg'))) return;
    for (const name of entries) {
      const path = join(dir, name);
      if (name === 'migrations') {
        if (hasMigrations(path)) apps.push(app(path));
      } else if (depth < MAX_DEPTH) visit(path, depth + 1);
    }
  };
  visit(root, 0);
  return apps;
}

function hasMigrations(folder: string): boolean {
  try {
    return readdirSync(folder).some((f) => DJANGO_MIGRATION_FILE.test(f));
  } catch {
    return false;
  }
}

function app(migrations: string): DjangoApp {
  const appDir = dirname(migrations);
  return { label: configuredLabel(appDir) ?? basename(appDir), folder: migrations };
}

/** `label = "..."` in the app's apps.py: an AppConfig that renames the app (two apps both called `users`). */
function configuredLabel(appDir: string): string | undefined {
  try {
    return /^\s+label\s*=\s*['"](\w+)['"]/m.exec(readFileSync(join(appDir, 'apps.py'), 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}
