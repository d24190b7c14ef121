// Monitor engine benchmark: 10,000 HTTP monitors at a 30 s interval against a loopback target (its own
// process), samples written to a SQLite store; then a burst of checks as fast as they go, next to a plain
// undici request loop on the same target as the ceiling. `npm run bench:monitor`; BENCH_SECONDS (default 75),
// BURST_SECONDS (default 10), MONITORS (default 10000) and CONCURRENCY (default 64) can be overridden.
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';
import { stackSchema } from '../src/config/index.js';
import { createMonitorEngine, deriveMonitors, type Monitor } from '../src/monitors/index.js';
import type { ProbeContext } from '../src/probes/index.js';
import { openStore } from '../src/store/index.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 75);
const BURST_SECONDS = Number(process.env.BURST_SECONDS ?? 10);
const MONITORS = Number(process.env.MONITORS ?? 10_000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 64);
const PER_SERVICE = 100;

function startTarget(): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(new URL('./monitor-target.mjs', import.meta.url).pathname, [], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  return new Promise((resolve) =>
    child.stdout?.once('data', (d: Buffer) =>
      resolve({ child, url: `http://127.0.0.1:${String(d).trim()}` }),
    ),
  );
}

/** 10,000 health endpoints as a config would declare them: 100 services of 100 endpoints each. */
function benchConfig(url: string) {
  const services: Record<string, unknown> = {};
  for (let s = 0; s * PER_SERVICE < MONITORS; s++)
    services[`svc${s}`] = {
      kind: 'web',
      urls: { production: url },
      health: Array.from({ length: Math.min(PER_SERVICE, MONITORS - s * PER_SERVICE) }, (_, e) => ({
        type: 'readiness',
        name: `e${e}`,
        path: `/svc${s}/e${e}`,
        expect: { status: 200, body: [{ path: 'status', equals: 'healthy' }] },
        timeout: '5s',
      })),
    };
  return stackSchema.parse({ name: 'bench', monitoring: { interval: '30s', retries: 0 }, services });
}

const quantile = (sorted: number[], q: number) => sorted[Math.floor(q * (sorted.length - 1))] ?? Number.NaN;
const mb = (kb: number) => `${Math.round(kb / 1024)} MB`;

/** CPU cores used by this process between two readings over `wallMs`. */
function coresUsed(before: NodeJS.CpuUsage, wallMs: number): number {
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / wallMs;
}

async function steady(url: string) {
  const cwd = await mkdtemp(join(tmpdir(), 'opsbook-bench-monitor-'));
  const store = await openStore({ cwd, env: {} });
  const controller = new AbortController();
  const lags: number[] = [];
  let measuring = false;
  let checks = 0;
  let failures = 0;
  const engine = await createMonitorEngine({
    store,
    config: benchConfig(url),
    environment: 'production',
    env: {},
    signal: controller.signal,
    concurrency: CONCURRENCY,
    log: (level, message) => console.error(`${level}: ${message}`),
    onCheck: (c) => {
      if (!measuring) return;
      checks++;
      if (c.outcome === 'down') failures++;
      lags.push(c.lagMs);
    },
  });
  // The first checks are spread over the first interval: the rate is steady from the start.
  await sleep(3_000);
  measuring = true;
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const cpu = process.cpuUsage();
  const rssAtStart = process.memoryUsage().rss;
  const started = Date.now();
  await sleep(SECONDS * 1_000);
  const rssAtEnd = process.memoryUsage().rss;
  const wall = Date.now() - started;
  const cores = coresUsed(cpu, wall);
  loopDelay.disable();
  measuring = false;
  controller.abort();
  await engine.done;
  const stored = await store.monitoring.uptime(
    { service: 'svc0', environment: 'production' },
    started - 60_000,
    Date.now(),
  );
  await store.close();
  await rm(cwd, { recursive: true, force: true });
  lags.sort((a, b) => a - b);
  console.log(
    `\nsteady: ${engine.monitors.length} HTTP monitors at 30 s, SQLite store, ${Math.round(wall / 1000)} s`,
  );
  console.log(
    `  checks/s          ${(checks / (wall / 1000)).toFixed(1)} (expected ${(engine.monitors.length / 30).toFixed(1)}), ${failures} failed`,
  );
  console.log(
    `  schedule lag      p50 ${quantile(lags, 0.5)} ms, p99 ${quantile(lags, 0.99)} ms, max ${lags.at(-1)} ms`,
  );
  console.log(
    `  event-loop delay  p99 ${(loopDelay.percentile(99) / 1e6).toFixed(0)} ms, max ${(loopDelay.max / 1e6).toFixed(0)} ms`,
  );
  console.log(`  CPU               ${cores.toFixed(3)} cores`);
  console.log(
    `  peak RSS          ${mb(process.resourceUsage().maxRSS)} (RSS ${mb(rssAtStart / 1024)} when measuring began, ${mb(rssAtEnd / 1024)} at the end)`,
  );
  console.log(`  stored (svc0)     ${stored.total} samples in its rollups`);
}

/** Runs `work` with `concurrency` loops for `seconds`; checks/s overall and the best second, and cores. */
async function loop(seconds: number, concurrency: number, work: () => Promise<void>) {
  const perSecond: number[] = [];
  let count = 0;
  const cpu = process.cpuUsage();
  const started = Date.now();
  const deadline = started + seconds * 1_000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) {
        await work();
        count++;
        const second = Math.floor((Date.now() - started) / 1000);
        perSecond[second] = (perSecond[second] ?? 0) + 1;
      }
    }),
  );
  const wall = Date.now() - started;
  const cores = coresUsed(cpu, wall);
  const rate = count / (wall / 1000);
  const peak = Math.max(...perSecond.slice(0, seconds).map((n) => n ?? 0));
  return { rate, peak, cores, perCore: rate / cores };
}

async function burst(url: string) {
  const monitors: Monitor[] = deriveMonitors({
    config: benchConfig(url),
    environment: 'production',
    env: {},
  }).monitors;
  const ctx: ProbeContext = { signal: new AbortController().signal, env: {} };
  let i = 0;
  let down = 0;
  const probe = await loop(BURST_SECONDS, CONCURRENCY, async () => {
    const result = await (monitors[i++ % monitors.length] as Monitor).check(ctx);
    if (result.outcome === 'down') down++;
  });
  const keepAlive = new http.Agent({ keepAlive: true });
  const reusing: ProbeContext = {
    ...ctx,
    agents: { http: keepAlive, https: new (await import('node:https')).Agent() },
  };
  const probeKeepAlive = await loop(BURST_SECONDS, CONCURRENCY, async () => {
    const result = await (monitors[i++ % monitors.length] as Monitor).check(reusing);
    if (result.outcome === 'down') down++;
  });
  keepAlive.destroy();
  const agent = new Agent({ keepAliveTimeout: 30_000, connections: CONCURRENCY });
  let j = 0;
  const ceiling = await loop(BURST_SECONDS, CONCURRENCY, async () => {
    const res = await request(`${url}/svc0/e${j++ % PER_SERVICE}`, { dispatcher: agent });
    JSON.parse(await res.body.text());
  });
  await agent.close();
  const line = (name: string, r: Awaited<ReturnType<typeof loop>>) =>
    console.log(
      `  ${name.padEnd(34)} ${r.rate.toFixed(0).padStart(6)}/s (best second ${r.peak}), ${r.cores.toFixed(2)} cores, ${r.perCore.toFixed(0)} checks/s per core`,
    );
  console.log(`\nburst: ${BURST_SECONDS} s each, ${CONCURRENCY} in flight`);
  line('opsbook probe (fresh connection)', probe);
  line('opsbook probe (keep-alive option)', probeKeepAlive);
  line('undici request (keep-alive)', ceiling);
  if (down) console.log(`  (${down} probe checks failed)`);
}

const target = await startTarget();
try {
  console.log(
    `target ${target.url} (pid ${target.child.pid}); load average ${(await import('node:os'))
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  await steady(target.url);
  await burst(target.url);
} finally {
  target.child.disconnect();
  target.child.kill();
}
