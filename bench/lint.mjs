// Migration linter throughput: 1,000 generated migration files linted by opsbook and by squawk (squawk-cli).
// Run with `npm run bench:lint` (tsx: no build needed). FILES=1000 and RUNS=3 can be overridden.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lintMigrationFiles } from '../src/migrations/lint-files.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const FILES = Number(process.env.FILES ?? 1000);
const RUNS = Number(process.env.RUNS ?? 3);

/** Statement templates a real migration folder is made of: some safe, some that the rules flag. */
const TEMPLATES = [
  (i) =>
    `CREATE TABLE t${i} (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  name text NOT NULL,\n  created_at timestamptz NOT NULL DEFAULT now()\n);`,
  (i) => `CREATE INDEX t${i}_name_idx ON t${i} (name);`,
  (i) => `ALTER TABLE orders ADD COLUMN c${i} text;`,
  (i) => `ALTER TABLE orders ADD COLUMN r${i} uuid NOT NULL DEFAULT gen_random_uuid();`,
  (i) =>
    `ALTER TABLE orders ADD CONSTRAINT orders_fk${i} FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;`,
  (i) => `ALTER TABLE orders VALIDATE CONSTRAINT orders_fk${i};`,
  (i) => `COMMENT ON TABLE t${i} IS 'table number ${i}; generated';`,
  (i) =>
    `CREATE OR REPLACE FUNCTION touch_${i}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  NEW.updated_at := now();\n  RETURN NEW;\nEND;\n$$;`,
  (i) => `INSERT INTO settings (key, value) VALUES ('k${i}', 'v; ${i}') ON CONFLICT (key) DO NOTHING;`,
  (i) => `ALTER TABLE events ALTER COLUMN payload${i} TYPE jsonb USING payload${i}::jsonb;`,
  (i) => `CREATE TABLE legacy${i} (id serial PRIMARY KEY, code varchar(20), at timestamp);`,
  (i) => `UPDATE orders SET status = 'open' WHERE status IS NULL AND id < ${i * 1000};`,
];

function generate(dir) {
  const paths = [];
  let bytes = 0;
  for (let f = 1; f <= FILES; f++) {
    const statements = [];
    const count = 4 + (f % 9);
    for (let s = 0; s < count; s++)
      statements.push(TEMPLATES[(f * 7 + s * 3) % TEMPLATES.length](f * 100 + s));
    if (f % 10 === 0)
      statements.push(`CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_c${f}_idx ON orders (c${f});`);
    const text = `-- migration ${f}\n${statements.join('\n\n')}\n`;
    const path = join(dir, `${String(f).padStart(4, '0')}_generated_${f}.sql`);
    writeFileSync(path, text);
    paths.push(path);
    bytes += Buffer.byteLength(text);
  }
  return { paths, bytes };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const dir = mkdtempSync(join(tmpdir(), 'opsbook-bench-lint-'));
try {
  const { paths, bytes } = generate(dir);
  const oursMs = [];
  let findings = 0;
  for (let r = 0; r < RUNS; r++) {
    const start = performance.now();
    const result = await lintMigrationFiles({ cwd: dir, paths: ['.'] });
    oursMs.push(performance.now() - start);
    findings = result.diagnostics.length;
  }
  const squawkMs = [];
  let squawkFindings = 0;
  for (let r = 0; r < RUNS; r++) {
    const start = performance.now();
    const run = spawnSync(join(root, 'node_modules/.bin/squawk'), ['--reporter', 'json', ...paths], {
      cwd: dir,
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024,
    });
    squawkMs.push(performance.now() - start);
    if (run.error) throw run.error;
    squawkFindings = JSON.parse(run.stdout).length;
  }
  const report = (name, ms, n) =>
    `${name.padEnd(8)} ${(FILES / (ms / 1000)).toFixed(0).padStart(7)} files/s  ${ms.toFixed(0).padStart(6)} ms total  ${String(n).padStart(6)} findings`;
  console.log(
    `${FILES} files, ${(bytes / 1024 / 1024).toFixed(2)} MiB, median of ${RUNS} runs (Node ${process.version})`,
  );
  console.log(report('opsbook', median(oursMs), findings));
  console.log(report('squawk', median(squawkMs), squawkFindings));
  console.log(
    'opsbook runs in-process (file reads and WASM parser load included); squawk is the native binary, process start included.',
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
