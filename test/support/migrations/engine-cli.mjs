// STAND-IN for the engines' CLIs in tests (prisma, supabase, alembic, manage.py, rails, mix, knex, drizzle-kit,
// node-pg-migrate), none of which is installed here. It does what each CLI documents for the one command opsbook runs:
// apply pending migrations from the default layout and record them in the engine's own history table. The SQL of a
// code migration is taken from its execute("...") / RunSQL("...") / knex.raw("...") / pgm.sql("...") call.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

const [tool, ...args] = process.argv.slice(2);
const command = tool === 'npx' ? args.shift() : tool;
const url = process.env.DATABASE_URL;
const sqlCalls = (text) =>
  [...text.matchAll(/(?:execute|RunSQL|raw|sql)\(?\s*"([^"]*)"/g)].map((m) => m[1]).join(';\n');
const files = (dir, re) =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => re.test(f))
        .sort()
    : [];
const say = (line) => process.stdout.write(`${line}\n`);
const sha = (t) => createHash('sha256').update(t).digest('hex');

function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

async function main() {
  if (process.env.STANDIN_FAIL) fail(process.env.STANDIN_FAIL);
  // Alembic's offline mode (`upgrade --sql`) prints SQL without connecting, as the real one does.
  const offline = command === 'alembic' && args.includes('--sql');
  const client = offline ? undefined : new pg.Client({ connectionString: url });
  await client?.connect();
  const q = (sql, params) => client.query(sql, params);
  try {
    if (command === 'prisma') {
      await q(`CREATE TABLE IF NOT EXISTS _prisma_migrations (id varchar(36) PRIMARY KEY, checksum varchar(64) NOT NULL,
        finished_at timestamptz, migration_name varchar(255) NOT NULL, logs text, rolled_back_at timestamptz,
        started_at timestamptz NOT NULL DEFAULT now(), applied_steps_count integer NOT NULL DEFAULT 0)`);
      const rows = (await q('SELECT migration_name, finished_at, rolled_back_at FROM _prisma_migrations'))
        .rows;
      const failed = rows.find((r) => !r.finished_at && !r.rolled_back_at);
      if (failed)
        fail(
          `Error: P3009\nmigrate found failed migrations in the target database: ${failed.migration_name}`,
        );
      for (const folder of files('prisma/migrations', /^\d/)) {
        if (rows.some((r) => r.migration_name === folder && r.finished_at && !r.rolled_back_at)) continue;
        const text = readFileSync(join('prisma/migrations', folder, 'migration.sql'), 'utf8');
        const id = crypto.randomUUID();
        try {
          await q(text);
        } catch (e) {
          await q(
            'INSERT INTO _prisma_migrations (id, checksum, migration_name, logs) VALUES ($1, $2, $3, $4)',
            [id, sha(text), folder, e.message],
          );
          fail(
            `Error: P3018\nA migration failed to apply.\nMigration name: ${folder}\nDatabase error: ${e.message}`,
          );
        }
        await q(
          `INSERT INTO _prisma_migrations (id, checksum, migration_name, finished_at, applied_steps_count) VALUES ($1, $2, $3, now(), 1)`,
          [id, sha(text), folder],
        );
        say(`Applying migration \`${folder}\``);
      }
    } else if (command === 'supabase') {
      await q('CREATE SCHEMA IF NOT EXISTS supabase_migrations');
      await q(
        'CREATE TABLE IF NOT EXISTS supabase_migrations.schema_migrations (version text PRIMARY KEY, statements text[], name text)',
      );
      const done = new Set(
        (await q('SELECT version FROM supabase_migrations.schema_migrations')).rows.map((r) => r.version),
      );
      for (const f of files('supabase/migrations', /^\d+_.*\.sql$/)) {
        const [, version, name] = /^(\d+)_(.*)\.sql$/.exec(f);
        if (done.has(version)) continue;
        const text = readFileSync(join('supabase/migrations', f), 'utf8');
        await q(text);
        await q('INSERT INTO supabase_migrations.schema_migrations VALUES ($1, $2, $3)', [
          version,
          [text],
          name,
        ]);
        say(`Applying migration ${f}...`);
      }
    } else if (command === 'alembic') {
      const dir = 'alembic/versions';
      const revs = files(dir, /\.py$/).map((f) => {
        const t = readFileSync(join(dir, f), 'utf8');
        return {
          id: /^revision\s*(?::[^=\n]+)?=\s*['"]([^'"]+)/m.exec(t)[1],
          down: (/^down_revision\s*(?::[^=\n]+)?=\s*['"]([^'"]+)/m.exec(t) ?? [])[1],
          sql: sqlCalls(t),
        };
      });
      const offline = args.includes('--sql');
      let current = offline ? (/^(\w+):head$/.exec(args[1]) ?? [])[1] : undefined;
      if (!offline) {
        await q(
          'CREATE TABLE IF NOT EXISTS alembic_version (version_num varchar(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))',
        );
        current = (await q('SELECT version_num FROM alembic_version')).rows[0]?.version_num;
      }
      const out = [];
      for (
        let next = revs.find((r) => r.down === current);
        next;
        next = revs.find((r) => r.down === next.id)
      ) {
        const bump = current
          ? `UPDATE alembic_version SET version_num='${next.id}' WHERE alembic_version.version_num = '${current}'`
          : `INSERT INTO alembic_version (version_num) VALUES ('${next.id}')`;
        if (offline)
          out.push(`-- Running upgrade ${current ?? ''} -> ${next.id}`, `${next.sql};`, `${bump};`);
        else {
          await q('BEGIN');
          await q(next.sql);
          await q(bump);
          await q('COMMIT');
          say(`INFO  [alembic.runtime.migration] Running upgrade ${current ?? ''} -> ${next.id}`);
        }
        current = next.id;
      }
      if (offline) say(`BEGIN;\n\n${out.join('\n\n')}\n\nCOMMIT;`);
    } else if (command === 'python') {
      const [, sub, app, name] = args;
      if (sub === 'sqlmigrate') {
        say(`BEGIN;\n${sqlCalls(readFileSync(join(app, 'migrations', `${name}.py`), 'utf8'))};\nCOMMIT;`);
      } else {
        await q(
          'CREATE TABLE IF NOT EXISTS django_migrations (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, app varchar(255) NOT NULL, name varchar(255) NOT NULL, applied timestamptz NOT NULL)',
        );
        const done = new Set(
          (await q("SELECT app || '.' || name AS k FROM django_migrations")).rows.map((r) => r.k),
        );
        for (const a of readdirSync('.').filter((d) => existsSync(join(d, 'migrations')))) {
          for (const f of files(join(a, 'migrations'), /^\d{4}_\w+\.py$/)) {
            const n = f.replace(/\.py$/, '');
            if (done.has(`${a}.${n}`)) continue;
            await q(sqlCalls(readFileSync(join(a, 'migrations', f), 'utf8')));
            await q('INSERT INTO django_migrations (app, name, applied) VALUES ($1, $2, now())', [a, n]);
            say(`  Applying ${a}.${n}... OK`);
          }
        }
      }
    } else if (command === 'rails' || command === 'mix') {
      const rails = command === 'rails';
      const dir = rails ? 'db/migrate' : 'priv/repo/migrations';
      await q(
        rails
          ? 'CREATE TABLE IF NOT EXISTS schema_migrations (version varchar PRIMARY KEY)'
          : 'CREATE TABLE IF NOT EXISTS schema_migrations (version bigint PRIMARY KEY, inserted_at timestamp(0))',
      );
      const done = new Set(
        (await q('SELECT version::text AS v FROM schema_migrations')).rows.map((r) => r.v),
      );
      for (const f of files(dir, rails ? /^\d+_.*\.rb$/ : /^\d+_.*\.exs$/)) {
        const version = /^\d+/.exec(f)[0];
        if (done.has(version)) continue;
        await q(sqlCalls(readFileSync(join(dir, f), 'utf8')));
        await q(
          rails
            ? 'INSERT INTO schema_migrations VALUES ($1)'
            : 'INSERT INTO schema_migrations VALUES ($1, now())',
          [version],
        );
        say(`== ${f}: migrated`);
      }
    } else if (command === 'knex') {
      await q(
        'CREATE TABLE IF NOT EXISTS knex_migrations (id serial PRIMARY KEY, name varchar(255), batch integer, migration_time timestamptz)',
      );
      await q(
        'CREATE TABLE IF NOT EXISTS knex_migrations_lock (index serial PRIMARY KEY, is_locked integer)',
      );
      const done = new Set((await q('SELECT name FROM knex_migrations')).rows.map((r) => r.name));
      for (const f of files('migrations', /\.js$/)) {
        if (done.has(f)) continue;
        await q(sqlCalls(readFileSync(join('migrations', f), 'utf8')));
        await q('INSERT INTO knex_migrations (name, batch, migration_time) VALUES ($1, 1, now())', [f]);
      }
    } else if (command === 'drizzle-kit') {
      await q('CREATE SCHEMA IF NOT EXISTS drizzle');
      await q(
        'CREATE TABLE IF NOT EXISTS drizzle.__drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)',
      );
      const last = Number(
        (await q('SELECT max(created_at) AS m FROM drizzle.__drizzle_migrations')).rows[0].m ?? 0,
      );
      for (const e of JSON.parse(readFileSync('drizzle/meta/_journal.json', 'utf8')).entries) {
        if (e.when <= last) continue;
        const text = readFileSync(join('drizzle', `${e.tag}.sql`), 'utf8');
        for (const part of text.split('--> statement-breakpoint')) if (part.trim()) await q(part);
        await q('INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ($1, $2)', [
          sha(text),
          e.when,
        ]);
      }
    } else if (command === 'node-pg-migrate') {
      await q(
        'CREATE TABLE IF NOT EXISTS pgmigrations (id serial PRIMARY KEY, name varchar(255) NOT NULL, run_on timestamp NOT NULL)',
      );
      const done = new Set((await q('SELECT name FROM pgmigrations')).rows.map((r) => r.name));
      for (const f of files('migrations', /^\d+_.*\.(sql|js)$/)) {
        const name = f.replace(/\.[^.]+$/, '');
        if (done.has(name)) continue;
        const text = readFileSync(join('migrations', f), 'utf8');
        await q(f.endsWith('.sql') ? text.split(/^--\s*Down Migration/m)[0] : sqlCalls(text));
        await q('INSERT INTO pgmigrations (name, run_on) VALUES ($1, now())', [name]);
      }
    } else fail(`stand-in: unknown command ${tool} ${args.join(' ')}`);
  } finally {
    await client?.end();
  }
}

main().catch((e) => fail(e.message));
