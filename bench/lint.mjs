// Migration linter, CLI to CLI: `opsbook migrate lint` (the built CLI, one process per run) next to squawk's native
// binary and squawk's npm command (`node_modules/.bin/squawk`, a Node wrapper around the binary, as users install it),
// on FILES generated migrations (default 1,000), on a real corpus (this repo's lint corpus and, when PostgreSQL is
// installed, its extension scripts), and on 10,000 files for memory. `npm run bench:lint` builds first; RUNS=3.
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadLine, opsbook, ratio, root, timeCli, timeInterleaved } from './cli.mjs';

const FILES = Number(process.env.FILES ?? 1000);
const BIG = Number(process.env.BIG_FILES ?? 10000);
const RUNS = Number(process.env.RUNS ?? 5);
const SQUAWK_NATIVE = join(root, 'node_modules/@squawk-cli/linux-x64/bin/squawk');
const SQUAWK_NPM = join(root, 'node_modules/.bin/squawk');
const PG_EXTENSIONS = '/usr/share/postgresql';

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

function generate(dir, FILES) {
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

/** Real SQL: the linter's own corpus (safe, unsafe and squawk's cases) and PostgreSQL's extension scripts. */
function realCorpus(dir) {
  const copy = (from, prefix) => {
    for (const entry of readdirSync(from, { withFileTypes: true, recursive: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.sql')) continue;
      const path = join(entry.parentPath, entry.name);
      const name = `${prefix}_${path.slice(from.length + 1).replaceAll('/', '_')}`;
      cpSync(path, join(dir, name));
    }
  };
  copy(join(root, 'test/lint-corpus/corpus'), 'corpus');
  const sources = ["this repo's lint corpus"];
  if (existsSync(PG_EXTENSIONS)) {
    copy(PG_EXTENSIONS, 'pg');
    sources.push(`${PG_EXTENSIONS} extension scripts`);
  }
  const names = readdirSync(dir);
  const bytes = names.reduce((n, f) => n + statSync(join(dir, f)).size, 0);
  return { paths: names.map((n) => join(dir, n)), bytes, sources };
}

// Both exit 1 when they find problems.
const found = (s) => s === 0 || s === 1;

function compare(label, dir, paths, bytes, runs) {
  console.log(
    `\n${label}: ${paths.length} files, ${(bytes / 1024 / 1024).toFixed(2)} MiB, median of ${runs} rounds (${loadLine()})`,
  );
  // In rounds (bench/cli.mjs), so that a slow phase of the machine weighs on all three alike.
  const squawk = (bin) => ({ argv: [bin, '--reporter', 'json', ...paths], cwd: dir, ok: found });
  const [o, n, m] = timeInterleaved(
    [
      { argv: [...opsbook, 'migrate', 'lint', '--json', '.'], cwd: dir, ok: found },
      squawk(SQUAWK_NATIVE),
      squawk(SQUAWK_NPM),
    ],
    { runs },
  );
  const findings = JSON.parse(o.stdout).diagnostics.length;
  const theirs = JSON.parse(n.stdout).length;
  const row = (name, t, count) =>
    `  ${name.padEnd(22)} ${t.ms.toFixed(0).padStart(6)} ms  ${(paths.length / (t.ms / 1000)).toFixed(0).padStart(6)} files/s  ${t.rssMiB ? `${t.rssMiB.toFixed(0).padStart(4)} MiB` : ''}  ${count} findings`;
  console.log(row('opsbook migrate lint', o, findings));
  console.log(row('squawk (native binary)', n, theirs));
  console.log(row('squawk (npm command)', m, theirs));
  console.log(
    `  opsbook / squawk npm command: ${ratio(o.ms, m.ms)}   opsbook / squawk native: ${ratio(o.ms, n.ms)}`,
  );
  return o;
}

const work = mkdtempSync(join(tmpdir(), 'opsbook-bench-lint-'));
try {
  const gen = join(work, 'generated');
  mkdirSync(gen);
  const g = generate(gen, FILES);
  compare(
    'generated migrations',
    gen,
    g.paths.map((p) => p.slice(gen.length + 1)),
    g.bytes,
    RUNS,
  );
  const real = join(work, 'real');
  mkdirSync(real);
  const r = realCorpus(real);
  compare(
    `real corpus (${r.sources.join(', ')})`,
    real,
    r.paths.map((p) => p.slice(real.length + 1)),
    r.bytes,
    RUNS,
  );
  if (BIG > 0) {
    const big = join(work, 'big');
    mkdirSync(big);
    const b = generate(big, BIG);
    console.log(
      `\n${BIG} generated files, ${(b.bytes / 1024 / 1024).toFixed(1)} MiB, one run (${loadLine()})`,
    );
    const t = timeCli([...opsbook, 'migrate', 'lint', '--json', '.'], { cwd: big, runs: 1, ok: found });
    console.log(
      `  opsbook migrate lint  ${t.ms.toFixed(0)} ms, peak RSS ${t.rssMiB?.toFixed(0) ?? '?'} MiB (aim < 200 MiB)`,
    );
  }
  console.log(`\nafter: ${loadLine()}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
