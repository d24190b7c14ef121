// `npm run bench:serve`: `opsbook serve` (the CLI) runs MONITORS HTTP monitors (default 1,000 at 10 s) while CLIENTS
// concurrent clients (default 50) hammer /metrics and /status for BENCH_SECONDS (default 30). The target always answers
// healthy, so every "down" sample is false: the aim is zero, with the interval error (measured at the target)
// unchanged by the load. test/e2e/serve-load.test.ts runs a short form in CI.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { openStore } from '../src/store/index.js';
import { loadLine, median } from './cli.mjs';
import { procUsage, startServe, startTarget, writeMonitorConfig } from './monitoring.js';

export interface ServeLoadOptions {
  monitors?: number;
  intervalMs?: number;
  seconds?: number;
  clients?: number;
}

export interface ServeLoadResult {
  checks: number;
  down: number;
  requests: { metrics: number; status: number; failed: number; p50Ms: number; p99Ms: number };
  intervalError: { p50: number | null; p99: number | null; max: number | null };
  cpuCores: number;
  warnings: string[];
}

export async function runServeLoad(options: ServeLoadOptions = {}): Promise<ServeLoadResult> {
  const monitors = options.monitors ?? 1_000;
  const intervalMs = options.intervalMs ?? 10_000;
  const seconds = options.seconds ?? 30;
  const clients = options.clients ?? 50;
  const dir = mkdtempSync(join(tmpdir(), 'opsbook-bench-serve-'));
  const target = await startTarget(intervalMs);
  try {
    writeMonitorConfig(dir, target.url, monitors, `${intervalMs / 1000}s`);
    const serve = await startServe(dir);
    let stopped = false;
    try {
      // One interval to spread the first checks, then measure from a clean slate.
      await sleep(Math.min(intervalMs, 10_000));
      target.reset();
      const started = Date.now();
      const cpu = procUsage(serve.child.pid!);
      const deadline = started + seconds * 1_000;
      const times: number[] = [];
      const counts = { metrics: 0, status: 0, failed: 0 };
      await Promise.all(
        Array.from({ length: clients }, async (_, c) => {
          for (let i = 0; Date.now() < deadline; i++) {
            const path = (c + i) % 2 === 0 ? '/metrics' : '/status';
            const t0 = performance.now();
            const res = await fetch(`${serve.url}${path}`).catch(() => undefined);
            await res?.text();
            times.push(performance.now() - t0);
            if (!res?.ok) counts.failed++;
            else if (path === '/metrics') counts.metrics++;
            else counts.status++;
          }
        }),
      );
      const cpuCores =
        (procUsage(serve.child.pid!).cpuSeconds - cpu.cpuSeconds) / ((Date.now() - started) / 1000);
      const interval = await target.report();
      const ended = Date.now();
      await serve.stop();
      stopped = true;
      const store = await openStore({ cwd: dir, env: {} });
      let checks = 0;
      let down = 0;
      try {
        for (let s = 0; s * 100 < monitors; s++) {
          const u = await store.monitoring.uptime(
            { service: `svc${s}`, environment: 'production' },
            started,
            ended,
          );
          checks += u.total;
          down += u.down;
        }
      } finally {
        await store.close();
      }
      times.sort((a, b) => a - b);
      return {
        checks,
        down,
        requests: {
          ...counts,
          p50Ms: median(times),
          p99Ms: times[Math.floor(times.length * 0.99)] ?? Number.NaN,
        },
        intervalError: { p50: interval.p50, p99: interval.p99, max: interval.max },
        cpuCores,
        warnings: serve.warnings,
      };
    } finally {
      if (!stopped) await serve.stop();
    }
  } finally {
    target.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const monitors = Number(process.env.MONITORS ?? 1_000);
  const seconds = Number(process.env.BENCH_SECONDS ?? 30);
  const clients = Number(process.env.CLIENTS ?? 50);
  console.log(
    `opsbook serve (CLI), ${monitors} HTTP monitors at 10 s, ${clients} clients on /metrics and /status for ${seconds} s (${loadLine()})`,
  );
  const r = await runServeLoad({ monitors, seconds, clients });
  const ms = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(0)} ms`);
  console.log(
    `  requests served   ${r.requests.metrics} /metrics, ${r.requests.status} /status, ${r.requests.failed} failed`,
  );
  console.log(
    `  request time      p50 ${r.requests.p50Ms.toFixed(0)} ms, p99 ${r.requests.p99Ms.toFixed(0)} ms`,
  );
  console.log(
    `  checks recorded   ${r.checks} (expected ~${Math.round((monitors / 10) * seconds)}), false downs ${r.down} (aim 0)`,
  );
  console.log(
    `  interval error    p50 ${ms(r.intervalError.p50)}, p99 ${ms(r.intervalError.p99)}, max ${ms(r.intervalError.max)} (at the target)`,
  );
  console.log(`  serve CPU         ${r.cpuCores.toFixed(2)} cores`);
  for (const w of r.warnings) console.log(`  serve said: ${w}`);
  // Item 1 of the performance issue asks every bench for a peer; this one has none that can run here.
  console.log(
    '  peer: none. Uptime Kuma and Gatus (which serve a status page while checking) are not Debian packages and need the network to install; bench:monitor compares the checking itself with Prometheus + blackbox_exporter',
  );
  console.log(`after: ${loadLine()}`);
  if (r.down > 0) process.exitCode = 1;
}
