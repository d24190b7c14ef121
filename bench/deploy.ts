// `npm run bench:deploy`: `opsbook deploy` as a CLI process on the demo stack (local provider), and what of its wall
// time is opsbook's own: not spent in the provider, in user commands, in probes or waiting out the bake window, and
// not the CLI's start-up (measured as `opsbook validate` in the same folder). Aim: under 300 ms beyond start-up.
// Then a bad release: the time from the failure limit being reached to traffic being back on the old release
// (aim < 2 s), from the journal and as seen by a client polling the proxy every 5 ms. No peer tool deploys this
// stack, so the reference is opsbook's own start-up. DEPLOYS=5. The run's externalMs is the union of its waits on
// the provider, commands and probes, less the watch's lateness after the platform finished (that is opsbook's own).
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stopLocalRuntime } from '../src/providers/index.js';
import { createDemoStack } from '../test/support/demo-stack.js';
import { loadLine, median, opsbook, timeCli } from './cli.mjs';

const DEPLOYS = Number(process.env.DEPLOYS ?? 5);
// Users' defaults: the tests' fast-poll override (for loopback fakes) never reaches the timed CLI.
const { OPSBOOK_DEPLOY_POLL_MS: _testsOnly, ...env } = process.env;

// The same scratch copy of examples/demo the e2e tests deploy, with a shorter bake so five deploys are quick.
const { dir: work, port } = await createDemoStack((y) =>
  y.replace(/bake: 10s\n(\s+)interval: 2s/, 'bake: 2s\n$1interval: 500ms'),
);
const commit = (message: string) =>
  execFileSync(
    'git',
    ['-c', 'user.email=b@example.com', '-c', 'user.name=bench', 'commit', '-qam', message],
    {
      cwd: work,
    },
  );

interface Run {
  wall: number;
  data: {
    status: string;
    message: string;
    state?: { externalMs: number; times: { failedAt?: string; trafficRestoredAt?: string } };
  };
}

/** One deploy as users run it; `opsbook deploy` exits non-zero when it rolled back. */
function deploy(): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(opsbook[0]!, [...opsbook.slice(1), 'deploy', '--yes', '--json'], { cwd: work, env });
    let stdout = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.on('error', reject);
    child.on('close', () => {
      try {
        resolve({ wall: performance.now() - started, data: JSON.parse(stdout).data });
      } catch {
        reject(new Error(`deploy printed no JSON envelope: ${stdout.slice(0, 300)}`));
      }
    });
  });
}

try {
  const start = timeCli([...opsbook, 'validate'], { cwd: work, runs: 5, warm: 1 }).ms;
  console.log(
    `opsbook deploy, CLI, local provider, api + worker, 4 verification measurements each (${loadLine()})`,
  );
  const walls: number[] = [];
  const own: number[] = [];
  for (let i = 1; i <= DEPLOYS; i++) {
    writeFileSync(join(work, 'RELEASE'), `${i}\n`);
    execFileSync('git', ['add', 'RELEASE'], { cwd: work });
    commit(`release ${i}`);
    const r = await deploy();
    if (r.data.status !== 'succeeded') throw new Error(`deploy ${i}: ${r.data.status}: ${r.data.message}`);
    walls.push(r.wall);
    own.push(r.wall - (r.data.state?.externalMs ?? 0) - start);
  }
  console.log(`  CLI start-up (opsbook validate)     ${start.toFixed(0)} ms`);
  console.log(`  wall time per deploy                median ${median(walls).toFixed(0)} ms`);
  console.log(
    `  opsbook's own time beyond start-up  median ${median(own).toFixed(0)} ms, max ${Math.max(...own).toFixed(0)} ms (aim < 300 ms)`,
  );

  // The bad release: deep health broken by a real code change.
  const server = join(work, 'api', 'server.mjs');
  writeFileSync(server, readFileSync(server, 'utf8').replace("FROM notes'", "FROM note'"));
  commit('bad release');
  const flips: number[] = [];
  let polling = true;
  let lastBad = 0;
  const poller = (async () => {
    while (polling) {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => undefined);
      const ok = res?.status === 200;
      await res?.body?.cancel();
      const now = Date.now();
      if (!ok) lastBad = now;
      else if (lastBad) {
        flips.push(now);
        lastBad = 0;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  const r = await deploy();
  polling = false;
  await poller;
  if (r.data.status !== 'rolled-back')
    throw new Error(`bad deploy: expected rolled-back, got ${r.data.status}: ${r.data.message}`);
  const times = r.data.state!.times;
  const failedAt = Date.parse(times.failedAt!);
  const journal = Date.parse(times.trafficRestoredAt!) - failedAt;
  const observed = flips.find((t) => t >= failedAt);
  console.log('failure limit reached -> traffic back on the old release (local provider):');
  console.log(`  from the journal          ${journal} ms (aim < 2000 ms)`);
  console.log(
    `  seen by a client          ${observed === undefined ? 'n/a' : `${observed - failedAt} ms`} (first good answer after the decision, 5 ms polling)`,
  );
  console.log(`after: ${loadLine()}`);
} finally {
  await stopLocalRuntime(work).catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
}
