// `npm run bench:monitor`: monitoring at scale, CLI to CLI. `opsbook serve` (the built CLI, SQLite store, and
// PostgreSQL when OPSBOOK_TEST_DATABASE_URL answers) next to Prometheus + blackbox_exporter (Debian's packages, when
// installed) probing the same HTTP endpoints of a loopback target at the same interval. Each runs as its own
// processes; CPU and peak RSS come from /proc, the interval error (how far each gap between two checks of one
// endpoint is from the interval) from the target, and /metrics is scraped every 15 s while measuring.
// Scenarios: 10,000 monitors at 30 s and 20,000 at 10 s (aim: p99 interval error < 250 ms on <= 1 core).
// BENCH_SECONDS (default 60) per run; SCENARIOS=10000@30,20000@10 to choose.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { loadLine, median } from './cli.mjs';
import {
  procUsage,
  startServe,
  startTarget,
  type Target,
  watchMemory,
  writeMonitorConfig,
} from './monitoring.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const SCENARIOS = (process.env.SCENARIOS ?? '10000@30,20000@10').split(',').map((s) => {
  const [n, interval] = s.split('@').map(Number);
  return { monitors: n!, intervalS: interval! };
});
/** The first executable `name` on PATH (Debian's packages put them in /usr/bin, upstream's tarballs anywhere). */
function onPath(...names: string[]): string | undefined {
  for (const name of names)
    for (const dir of (process.env.PATH ?? '').split(delimiter)) {
      const path = join(dir, name);
      try {
        accessSync(path, constants.X_OK);
        return path;
      } catch {}
    }
  return undefined;
}
const PROMETHEUS = onPath('prometheus');
// Debian names the exporter prometheus-blackbox-exporter; upstream's release calls it blackbox_exporter.
const BLACKBOX = onPath('prometheus-blackbox-exporter', 'blackbox_exporter');
const PG_URL = process.env.OPSBOOK_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Connections the kernel dropped because a listen queue was full, and SYNs resent, machine-wide (/proc/net/netstat).
 * A dropped connection is resent 1 s later, and that second lands in the interval error of whichever tool's check it
 * was: a non-zero count says the run measured the target's accept queue, not only the monitor.
 */
function tcpDrops(): { overflows: number; synRetrans: number } {
  try {
    const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n');
    const i = lines.findIndex((l) => l.startsWith('TcpExt:'));
    const names = lines[i]!.split(/\s+/);
    const values = lines[i + 1]!.split(/\s+/).map(Number);
    const of = (name: string) => values[names.indexOf(name)] ?? 0;
    return { overflows: of('ListenOverflows'), synRetrans: of('TCPSynRetrans') };
  } catch {
    return { overflows: Number.NaN, synRetrans: Number.NaN };
  }
}

interface Figures {
  label: string;
  /** Listen-queue overflows and resent SYNs while measuring (tcpDrops). */
  drops: string;
  cores: number;
  rssMiB: number;
  checksPerSecond: number;
  p99: number | null;
  max: number | null;
  note: string;
}

/**
 * Runs for SECONDS after two intervals of warm-up (at least 20 s), with CPU and memory of `pids` measured over that
 * time. The target's first gap after the reset is measured from the check before it: with one interval of warm-up
 * that was a check of the start-up ramp (a process claiming 20,000 checks for the first time, V8 still cold), which
 * made most of the p99 (20,000 at 10 s, SQLite: 247 ms with one interval, no scrape; 56 ms in steady state). Every
 * tool gets the same warm-up.
 */
async function measure(
  label: string,
  target: Target,
  pids: number[],
  intervalS: number,
  scrape?: () => Promise<void>,
): Promise<Omit<Figures, 'note'>> {
  await sleep(Math.max(2 * intervalS, 20) * 1_000);
  target.reset();
  const cpu = pids.map((p) => procUsage(p).cpuSeconds);
  const drops = tcpDrops();
  const memory = watchMemory(pids);
  const started = Date.now();
  const scrapes: Promise<void>[] = [];
  const timer = scrape ? setInterval(() => scrapes.push(scrape()), 15_000) : undefined;
  await sleep(SECONDS * 1_000);
  clearInterval(timer);
  await Promise.all(scrapes);
  const wall = (Date.now() - started) / 1000;
  const cores = pids.reduce((n, p, i) => n + procUsage(p).cpuSeconds - cpu[i]!, 0) / wall;
  const rssMiB = memory.stop();
  const r = await target.report();
  const after = tcpDrops();
  return {
    label,
    cores,
    rssMiB,
    checksPerSecond: r.requests / wall,
    p99: r.p99,
    max: r.max,
    drops: `TCP listen-queue overflows ${after.overflows - drops.overflows}, SYNs resent ${after.synRetrans - drops.synRetrans}`,
  };
}

async function runOpsbook(
  monitors: number,
  intervalS: number,
  backend: 'sqlite' | 'postgres',
): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'opsbook-bench-monitor-'));
  const target = await startTarget(intervalS * 1_000);
  let database: string | undefined;
  const admin = new pg.Client({ connectionString: PG_URL });
  try {
    writeMonitorConfig(dir, target.url, monitors, `${intervalS}s`);
    const env = { ...process.env };
    if (backend === 'postgres') {
      await admin.connect();
      database = `opsbook_bench_${randomBytes(4).toString('hex')}`;
      await admin.query(`CREATE DATABASE ${database}`);
      const url = new URL(PG_URL);
      url.pathname = `/${database}`;
      env.OPSBOOK_DATABASE_URL = url.href;
    }
    const serve = await startServe(dir, env);
    const scrapeTimes: number[] = [];
    const gauge: string[] = [];
    try {
      const figures = await measure(
        `opsbook serve (${backend})`,
        target,
        [serve.child.pid!],
        intervalS,
        async () => {
          const t0 = performance.now();
          const res = await fetch(`${serve.url}/metrics`);
          const body = await res.text();
          scrapeTimes.push(performance.now() - t0);
          if (!res.ok) scrapeTimes.push(Number.NaN);
          // The engine's own word on whether it keeps up, as a scraper sees it.
          gauge.push(/^opsbook_monitor_engine_behind (\d)/m.exec(body)?.[1] ?? '-');
        },
      );
      const behind = serve.warnings.some((w) => /falling behind/.test(w));
      const scrapes = scrapeTimes.length
        ? `/metrics scrape median ${median(scrapeTimes).toFixed(0)} ms (${scrapeTimes.length})`
        : 'no scrape';
      return {
        ...figures,
        note: `${scrapes}; log: ${behind ? 'said it fell behind' : 'never said it fell behind'}; behind gauge per scrape: ${gauge.join(' ') || 'none'}`,
      };
    } finally {
      await serve.stop();
    }
  } finally {
    target.stop();
    if (database) await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => {});
    await admin.end().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runPrometheus(monitors: number, intervalS: number): Promise<Figures> {
  const [prometheus, blackbox] = [PROMETHEUS, BLACKBOX];
  if (!prometheus || !blackbox) throw new Error('Prometheus or blackbox_exporter is not on PATH');
  const dir = mkdtempSync(join(tmpdir(), 'opsbook-bench-prometheus-'));
  const target = await startTarget(intervalS * 1_000);
  const children: ReturnType<typeof spawn>[] = [];
  try {
    const paths = writeMonitorConfig(dir, target.url, monitors, `${intervalS}s`);
    // The same check as opsbook's: status 200 and "status": "healthy" in the body, a fresh connection each time.
    writeFileSync(
      join(dir, 'blackbox.yml'),
      'modules:\n  health:\n    prober: http\n    timeout: 5s\n    http:\n      valid_status_codes: [200]\n      fail_if_body_not_matches_regexp: [\'"status":"healthy"\']\n',
    );
    const bbPort = 20_000 + Math.floor(Math.random() * 20_000);
    const promPort = bbPort + 1;
    const targets = paths.map((p) => `${target.url}${p}`);
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global:\n  scrape_interval: ${intervalS}s\n  scrape_timeout: 5s\nscrape_configs:\n  - job_name: blackbox\n    metrics_path: /probe\n    params: { module: [health] }\n    static_configs:\n      - targets: ${JSON.stringify(targets)}\n    relabel_configs:\n      - { source_labels: [__address__], target_label: __param_target }\n      - { source_labels: [__param_target], target_label: instance }\n      - { target_label: __address__, replacement: '127.0.0.1:${bbPort}' }\n`,
    );
    mkdirSync(join(dir, 'data'));
    // Their own output says why, when one of them exits early (a port taken, a bad flag).
    const logs: string[] = [];
    const keep = (c: ReturnType<typeof spawn>, name: string) => {
      c.stderr?.on('data', (d: Buffer) => logs.push(`${name}: ${String(d).trim()}`.slice(0, 500)));
      c.once('exit', (code) => logs.push(`${name} exited ${code}`));
    };
    const bb = spawn(
      blackbox,
      [`--config.file=${join(dir, 'blackbox.yml')}`, `--web.listen-address=127.0.0.1:${bbPort}`],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    keep(bb, 'blackbox_exporter');
    children.push(bb);
    const prom = spawn(
      prometheus,
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    keep(prom, 'prometheus');
    children.push(prom);
    await sleep(2_000);
    if (bb.exitCode !== null || prom.exitCode !== null)
      throw new Error(
        `Prometheus + blackbox_exporter did not start: ${[...logs.filter((l) => / exited /.test(l)), ...logs.slice(-4)].join(' | ')}`,
      );
    const figures = await measure('Prometheus + blackbox_exporter', target, [bb.pid!, prom.pid!], intervalS);
    return { ...figures, note: 'two processes, CPU and RSS summed' };
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await sleep(500);
    target.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function pgAnswers(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

const withPeer = PROMETHEUS !== undefined && BLACKBOX !== undefined;
const withPg = await pgAnswers();
if (withPeer) console.log(`peer: ${PROMETHEUS} + ${BLACKBOX}`);
else
  console.log(
    `no peer: ${[PROMETHEUS ? '' : 'prometheus', BLACKBOX ? '' : 'blackbox_exporter'].filter(Boolean).join(' and ')} not on PATH (apt-get install prometheus prometheus-blackbox-exporter): opsbook only`,
  );
if (!withPg) console.log(`PostgreSQL does not answer at OPSBOOK_TEST_DATABASE_URL: SQLite only`);
for (const { monitors, intervalS } of SCENARIOS) {
  console.log(
    `\n${monitors} HTTP monitors at ${intervalS} s, ${SECONDS} s measured after ${Math.max(2 * intervalS, 20)} s of warm-up (${loadLine()})`,
  );
  const rows: Figures[] = [];
  const print = (r: Figures) => {
    const ms = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(0)} ms`);
    console.log(
      `  ${r.label.padEnd(31)} ${r.checksPerSecond.toFixed(0).padStart(5)} checks/s (due ${(monitors / intervalS).toFixed(0)})  ${r.cores.toFixed(2)} cores  ${r.rssMiB.toFixed(0).padStart(5)} MiB  interval error p99 ${ms(r.p99)}, max ${ms(r.max)}`,
    );
    console.log(`  ${''.padEnd(31)} ${r.note}`);
    console.log(`  ${''.padEnd(31)} ${r.drops}`);
    console.log(`  ${''.padEnd(31)} ${loadLine()}`);
  };
  const runs: (() => Promise<Figures>)[] = [
    () => runOpsbook(monitors, intervalS, 'sqlite'),
    ...(withPg ? [() => runOpsbook(monitors, intervalS, 'postgres')] : []),
    ...(withPeer ? [() => runPrometheus(monitors, intervalS)] : []),
  ];
  for (const run of runs) {
    try {
      const r = await run();
      rows.push(r);
      print(r);
    } catch (error) {
      console.log(`  failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const peer = rows.find((r) => r.label.startsWith('Prometheus'));
  if (peer)
    for (const r of rows.filter((x) => x !== peer))
      console.log(
        `  ${r.label} / Prometheus + blackbox: checks/s ${(r.checksPerSecond / peer.checksPerSecond).toFixed(2)}x, CPU ${(r.cores / peer.cores).toFixed(2)}x, memory ${(r.rssMiB / peer.rssMiB).toFixed(2)}x, p99 interval error ${r.p99 !== null && peer.p99 ? (r.p99 / peer.p99).toFixed(2) : 'n/a'}x`,
      );
  console.log(`  after: ${loadLine()}`);
}
