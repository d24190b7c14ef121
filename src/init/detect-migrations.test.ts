import { describe, expect, it } from 'vitest';
import { initFixture } from '../../test/support/init/fixture.js';
import { readScriptLocation } from './detect-alembic.js';

describe('init with migrations', () => {
  it('prisma: engine prisma in prisma/migrations, a database of the datasource provider', async () => {
    const { config } = await initFixture({
      'prisma/schema.prisma': 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n',
      'prisma/migrations/20240101_init/migration.sql': 'CREATE TABLE t (id int);\n',
      Procfile: 'web: node server.js\n',
    });
    expect(config.migrations).toMatchObject({
      database: 'db',
      dir: 'prisma/migrations',
      engine: 'prisma',
      command: 'npx prisma migrate deploy',
    });
    expect(config.services.db).toMatchObject({ kind: 'database', engine: { name: 'postgres' } });
    expect(config.services.web?.dependsOn).toEqual(['db']);
    expect(config.gates.map((g) => g.id)).toContain('migrations');
  });

  it('prisma: urlEnv is the variable prisma migrate connects through (directUrl before url)', async () => {
    const { config } = await initFixture({
      'prisma/schema.prisma':
        'datasource db {\n  provider  = "postgresql"\n  url       = env("POSTGRES_PRISMA_URL")\n  directUrl = env("POSTGRES_URL_NON_POOLING")\n}\n',
    });
    expect(config.migrations).toMatchObject({ engine: 'prisma', urlEnv: 'POSTGRES_URL_NON_POOLING' });
    const plain = await initFixture({
      'prisma/schema.prisma': 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n',
    });
    expect(plain.config.migrations?.urlEnv).toBe('DATABASE_URL');
    expect(plain.text).not.toContain('urlEnv');
  });

  it('prisma in backend/: the command points at its schema', async () => {
    const { config } = await initFixture({
      'backend/prisma/schema.prisma': 'datasource db { provider = "mysql" }\n',
    });
    expect(config.migrations).toMatchObject({
      dir: 'backend/prisma/migrations',
      command: 'npx prisma migrate deploy --schema backend/prisma/schema.prisma',
    });
    expect(config.services.db?.engine?.name).toBe('mysql');
  });

  it('supabase: engine supabase against a Supabase database', async () => {
    const { config } = await initFixture({ 'supabase/migrations/20240101000000_init.sql': 'select 1;\n' });
    expect(config.migrations).toMatchObject({
      dir: 'supabase/migrations',
      engine: 'supabase',
      database: 'db',
    });
    expect(config.services.db).toMatchObject({
      kind: 'database',
      platform: 'supabase',
      engine: { name: 'postgres' },
    });
  });

  it('alembic: versions under script_location, run with alembic upgrade head', async () => {
    const { config } = await initFixture({
      'backend/alembic.ini':
        '[alembic]\nscript_location = %(here)s/migrations\nsqlalchemy.url = postgresql://u:p@h/db\n',
      'backend/railway.json': JSON.stringify({ deploy: { startCommand: 'uvicorn main:app' } }),
    });
    expect(config.migrations).toMatchObject({
      dir: 'backend/migrations/versions',
      engine: 'alembic',
      command: 'cd backend && alembic upgrade head',
    });
    expect(config.services.backend?.dependsOn).toEqual(['db']);
  });

  it('plain SQL files in migrations/: engine sql, which opsbook runs itself', async () => {
    const { config } = await initFixture({ 'migrations/001_init.sql': 'CREATE TABLE t (id int);\n' });
    expect(config.migrations).toEqual(
      expect.objectContaining({ dir: 'migrations', engine: 'sql', database: 'db' }),
    );
    expect(config.migrations?.command).toBeUndefined();
  });

  it('keeps one migrations section and says which others it left out', async () => {
    const { config, detection } = await initFixture({
      'prisma/migrations/': '',
      'migrations/001.sql': 'select 1;\n',
    });
    expect(config.migrations?.engine).toBe('prisma');
    expect(detection.diagnostics).toContainEqual(expect.objectContaining({ code: 'init/more-migrations' }));
  });
});

describe('readScriptLocation', () => {
  it('reads script_location from the [alembic] section only', () => {
    expect(
      readScriptLocation('[other]\nscript_location = nope\n[alembic]\nscript_location = alembic\n'),
    ).toBe('alembic');
    expect(readScriptLocation('[alembic]\nscript_location = %(here)s/db/migrations/\n')).toBe(
      'db/migrations',
    );
    expect(readScriptLocation('[alembic]\nfile_template = x\n')).toBeUndefined();
  });

  it('detects Django, Rails, Ecto, drizzle, knex and node-pg-migrate by the files their tools write', async () => {
    const cases: [Record<string, string>, object][] = [
      [
        { 'manage.py': '', 'shop/migrations/0001_initial.py': '' },
        { engine: 'django', dir: '.', command: 'python manage.py migrate' },
      ],
      [
        { 'manage.py': '', 'project/apps/users/migrations/0001_initial.py': '' },
        { engine: 'django', dir: '.', command: 'python manage.py migrate' },
      ],
      [
        { Gemfile: '', 'db/migrate/20240101000000_create_users.rb': '' },
        { engine: 'rails', dir: 'db/migrate', command: 'bin/rails db:migrate' },
      ],
      [
        { 'mix.exs': '', 'priv/repo/migrations/20240101000000_create_users.exs': '' },
        { engine: 'ecto', dir: 'priv/repo/migrations', command: 'mix ecto.migrate' },
      ],
      [
        { 'drizzle/meta/_journal.json': '{"entries":[]}', 'drizzle/0000_init.sql': '' },
        { engine: 'drizzle', dir: 'drizzle', command: 'npx drizzle-kit migrate' },
      ],
      [
        { 'knexfile.js': '', 'migrations/20240101_init.js': '' },
        { engine: 'knex', dir: 'migrations', command: 'npx knex migrate:latest' },
      ],
      [
        {
          'package.json': '{"dependencies":{"node-pg-migrate":"^7"}}',
          'migrations/1700000000000_init.sql': '',
        },
        { engine: 'node-pg-migrate', dir: 'migrations', command: 'npx node-pg-migrate up' },
      ],
    ];
    for (const [files, expected] of cases) {
      const { config } = await initFixture(files);
      expect(config.migrations, JSON.stringify(files)).toMatchObject(expected);
    }
  });
});
