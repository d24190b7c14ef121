// `npm run bench:backup`: `opsbook backup run` as a CLI process on a database generated in PostgreSQL (BENCH_DB_MB,
// default 2048 MB), next to the runbooks' `pg_dump | gzip > file` shell pipeline and `pg_dump -Fc > file` on the same
// database: MB/s of database and peak RSS of each process (VmHWM from /proc, polled for the whole process tree).
// opsbook must stream: its own (node) peak RSS has to stay flat whatever the database size. FORMATS picks the rows
// (default custom,directory,pipeline,pg_dump-fc); JOBS the directory format's workers (default 2). The database is
// dropped at the end, also on failure or Ctrl-C.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadLine, opsbook, ratio } from './cli.mjs';

const SIZE_MB = Number(process.env.BENCH_DB_MB ?? 2048);
const JOBS = Number(process.env.JOBS ?? 2);
const FORMATS = (process.env.FORMATS ?? 'custom,directory,pipeline,pg_dump-fc').split(',');
const BASE_URL = process.env.OPSBOOK_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const DB = `opsbook_bench_backup_${process.pid}`;
const url = (() => {
  const u = new URL(BASE_URL);
  u.pathname = `/${DB}`;
  return u.toString();
})();
const work = mkdtempSync(join(tmpdir(), 'opsbook-bench-backup-'));

async function sql(target: string, text: string): Promise<pg.QueryResultRow[]> {
  const c = new pg.Client({ connectionString: target });
  await c.connect();
  try {
    return (await c.query(text)).rows;
  } finally {
    await c.end();
  }
}

/** Peak VmHWM (KiB) of every process under `root`, sampled every 100 ms until stopped. */
function watchTree(root: number) {
  const peaks = new Map<number, { comm: string; kib: number }>();
  const parentOf = (pid: string) => {
    try {
      // The comm field may hold spaces: ppid is the second field after the closing parenthesis.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      return -1;
    }
  };
  const sample = () => {
    const tree = new Set([root]);
    const all = readdirSync('/proc').filter((n) => /^\d+$/.test(n));
    // Two passes catch grandchildren listed before their parents.
    for (let pass = 0; pass < 2; pass++) for (const p of all) if (tree.has(parentOf(p))) tree.add(Number(p));
    for (const pid of tree) {
      try {
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        const kib = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
        const comm = /Name:\s+(\S+)/.exec(status)?.[1] ?? '?';
        const prev = peaks.get(pid);
        if (!prev || kib > prev.kib) peaks.set(pid, { comm, kib });
      } catch {
        // Exited between listing and reading.
      }
    }
  };
  const timer = setInterval(sample, 100);
  sample();
  return {
    sample,
    stop() {
      clearInterval(timer);
      return [...peaks.values()];
    },
  };
}

interface Row {
  label: string;
  seconds: number;
  outBytes: number;
  /** Peak RSS per process name (MiB): the largest process of each name. */
  rss: Record<string, number>;
  /** The process whose memory the row is about: opsbook's node, or the pipeline's total. */
  mainMiB: number;
}

function run(label: string, argv: string[], env: NodeJS.ProcessEnv, output: () => number, main: string) {
  return new Promise<Row>((resolve, reject) => {
    const started = performance.now();
    const child = spawn(argv[0]!, argv.slice(1), { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const memory = watchTree(child.pid!);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      const peaks = memory.stop();
      if (code !== 0) return reject(new Error(`${label} exited ${code}: ${(stderr || stdout).slice(-800)}`));
      const rss: Record<string, number> = {};
      for (const p of peaks) rss[p.comm] = Math.max(rss[p.comm] ?? 0, p.kib / 1024);
      const total = peaks.reduce((n, p) => n + p.kib / 1024, 0);
      resolve({
        label,
        seconds,
        outBytes: output(),
        rss,
        mainMiB: main === 'total' ? total : (rss[main] ?? 0),
      });
    });
  });
}

const dirSize = (path: string): number =>
  readdirSync(path, { withFileTypes: true }).reduce(
    (n, e) => n + (e.isDirectory() ? dirSize(join(path, e.name)) : statSync(join(path, e.name)).size),
    0,
  );

async function generate(): Promise<number> {
  await sql(BASE_URL, `CREATE DATABASE "${DB}"`);
  // ~330 bytes a row on disk, hex text that compresses about 2:1 like real data. UNLOGGED: no WAL to write, and
  // pg_dump still dumps its rows. Rows stay under the TOAST threshold so the table's size is what pg_dump reads.
  const rows = Math.ceil((SIZE_MB * 1024 * 1024) / 330);
  const started = performance.now();
  await sql(
    url,
    `CREATE UNLOGGED TABLE events (id bigint, at timestamptz, account int, amount numeric(12,2), body text);
     CREATE UNLOGGED TABLE accounts (id int PRIMARY KEY, name text);
     INSERT INTO accounts SELECT g, 'account ' || md5(g::text) FROM generate_series(1, 100000) g;
     INSERT INTO events
       SELECT g, timestamptz '2026-01-01' + g * interval '1 second', g % 100000, (g % 99991) / 100.0,
              md5(g::text) || md5((g * 7)::text) || md5((g * 13)::text) || md5((g * 31)::text) ||
              md5((g * 37)::text) || md5((g * 41)::text) || md5((g * 43)::text) || md5((g * 47)::text)
       FROM generate_series(1, ${rows}) g;`,
  );
  const [size] = await sql(url, 'SELECT pg_database_size(current_database())::bigint AS b');
  const bytes = Number(size?.b);
  console.log(
    `generated ${DB}: ${rows.toLocaleString('en')} rows, ${(bytes / 1024 ** 2).toFixed(0)} MB on disk in ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  return bytes;
}

async function dropDb() {
  await sql(BASE_URL, `DROP DATABASE IF EXISTS "${DB}" WITH (FORCE)`).catch((e: Error) =>
    console.error(`could not drop ${DB}: ${e.message}`),
  );
  rmSync(work, { recursive: true, force: true });
}

process.on('SIGINT', () => {
  void dropDb().then(() => process.exit(130));
});

try {
  console.log(loadLine());
  const dbBytes = await generate();
  writeFileSync(
    join(work, 'opsbook.yaml'),
    `name: bench
services:
  db: { kind: database }
backups:
  - { id: custom, database: db, urlEnv: APP_DATABASE_URL, destination: { type: local, path: out } }
  - id: directory
    database: db
    urlEnv: APP_DATABASE_URL
    format: directory
    jobs: ${JOBS}
    destination: { type: local, path: out }
`,
  );
  const env = {
    ...process.env,
    APP_DATABASE_URL: url,
    OPSBOOK_BACKUP_TMPDIR: work,
    NO_COLOR: '1',
  };
  const lastFile = (dir: string) => () => dirSize(join(work, dir));
  const rows: Row[] = [];
  const shell = (label: string, script: string, file: string) =>
    run(label, ['/bin/sh', '-c', script], env, () => statSync(join(work, file)).size, 'total');
  for (const f of FORMATS) {
    console.log(`running ${f} ...  (${loadLine()})`);
    rmSync(join(work, 'out'), { recursive: true, force: true });
    if (f === 'custom' || f === 'directory')
      rows.push(
        await run(
          `opsbook backup run (${f === 'custom' ? 'custom' : `directory -j ${JOBS}`})`,
          [...opsbook, 'backup', 'run', f, '--no-prune', '--json'],
          env,
          lastFile('out'),
          'node',
        ),
      );
    else if (f === 'pipeline')
      rows.push(
        await shell(
          'pg_dump | gzip > file',
          `pg_dump "$APP_DATABASE_URL" | gzip > plain.sql.gz`,
          'plain.sql.gz',
        ),
      );
    else if (f === 'pg_dump-fc')
      rows.push(await shell('pg_dump -Fc > file', `pg_dump -Fc "$APP_DATABASE_URL" > dump.fc`, 'dump.fc'));
    else throw new Error(`unknown format '${f}' in FORMATS`);
  }
  const mb = dbBytes / 1024 ** 2;
  console.log(`\nbackup of a ${mb.toFixed(0)} MB database (${loadLine()})`);
  const reference = rows.find((r) => r.label.startsWith('pg_dump | gzip'));
  for (const r of rows) {
    const procs = Object.entries(r.rss)
      .map(([name, mib]) => `${name} ${mib.toFixed(0)}`)
      .join(', ');
    console.log(
      `  ${r.label.padEnd(36)} ${r.seconds.toFixed(1).padStart(7)} s  ${(mb / r.seconds).toFixed(1).padStart(7)} MB/s  out ${(r.outBytes / 1024 ** 2).toFixed(0).padStart(6)} MB  peak RSS MiB: ${procs}${reference && r !== reference ? `  time ${ratio(r.seconds, reference.seconds)} of pg_dump | gzip` : ''}`,
    );
  }
  // The CLI's own footprint without a dump: what streaming adds on top of it must not grow with the database.
  const baseline = await run(
    'opsbook backup list',
    [...opsbook, 'backup', 'list', 'custom', '--json'],
    env,
    () => 0,
    'node',
  );
  console.log(`  opsbook backup list (start-up baseline)  peak RSS ${baseline.mainMiB.toFixed(0)} MiB`);
  for (const r of rows.filter((x) => x.label.startsWith('opsbook')))
    console.log(
      `  ${r.label}: opsbook's process peaked at ${r.mainMiB.toFixed(0)} MiB, ${(r.mainMiB - baseline.mainMiB).toFixed(0)} MiB over its start-up baseline, for ${mb.toFixed(0)} MB of database${reference ? `; the whole pg_dump | gzip pipeline peaked at ${reference.mainMiB.toFixed(0)} MiB (RSS ratio ${ratio(r.mainMiB, reference.mainMiB)})` : ''}`,
    );
} finally {
  await dropDb();
}
