import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeTree } from '../../../test/support/migrations/engine-fixtures.js';
import { findDjangoApps } from './django-apps.js';

describe('findDjangoApps', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'opsbook-django-apps-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));
  const found = () => findDjangoApps(root).map((a) => [a.label, a.folder.slice(root.length + 1)]);

  it('finds apps nested in packages, labelled as Django labels them', async () => {
    await writeTree(root, {
      'manage.py': '',
      'shop/migrations/0001_initial.py': '',
      'src/config/apps/users/migrations/0001_initial.py': '',
      'src/config/apps/users/migrations/__init__.py': '',
      // An AppConfig's label is what django_migrations records.
      'src/billing/apps.py':
        "class BillingConfig(AppConfig):\n    name = 'src.billing'\n    label = 'payments'\n",
      'src/billing/migrations/0001_initial.py': '',
    });
    expect(found()).toEqual([
      ['shop', 'shop/migrations'],
      ['payments', 'src/billing/migrations'],
      ['users', 'src/config/apps/users/migrations'],
    ]);
  });

  it('leaves out virtualenvs, installed packages, test apps and folders without numbered migrations', async () => {
    await writeTree(root, {
      '.venv/lib/python3.12/site-packages/django/contrib/auth/migrations/0001_initial.py': '',
      'py312/pyvenv.cfg': 'home = /usr/bin\n',
      'py312/lib/python3.12/auth/migrations/0001_initial.py': '',
      'node_modules/x/migrations/0001_initial.py': '',
      'tests/testapp/migrations/0001_initial.py': '',
      'core/migrations/__init__.py': '',
      'core/migrations/helpers.py': '',
    });
    expect(found()).toEqual([]);
  });

  it('takes a migrations folder given directly as its app', async () => {
    await writeTree(root, { 'shop/migrations/0001_initial.py': '' });
    expect(findDjangoApps(join(root, 'shop', 'migrations')).map((a) => a.label)).toEqual(['shop']);
  });
});
