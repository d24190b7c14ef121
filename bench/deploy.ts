// `npm run bench:deploy`: opsbook's own overhead per deploy (wall time not spent in the provider, in user
// commands, in probes or waiting out the bake window; aim < 1 s) and, with the local provider, the time from the
// failure limit being reached to traffic being back on the old release (aim < 2 s), measured two ways: from the
// journal, and by a client polling the proxy every 5 ms for the moment the answers turn good again.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateConfigText } from '../src/config/index.js';
import { runDeploy } from '../src/deploy/index.js';
import { createProvider, stopLocalRuntime } from '../src/providers/index.js';
import { createRedactor } from '../src/redact/index.js';
import { openStore } from '../src/store/index.js';
import { createMeasure } from '../src/verify/index.js';
import { createDemoStack } from '../test/support/demo-stack.js';

const DEPLOYS = Number(process.env.DEPLOYS ?? 5);

// The same scratch copy of examples/demo the e2e tests deploy, with a shorter bake so five deploys are quick.
const { dir: work, port } = await createDemoStack((y) =>
  y.replace(/bake: 10s\n(\s+)interval: 2s/, 'bake: 2s\n$1interval: 500ms'),
);
const yaml = readFileSync(join(work, 'opsbook.yaml'), 'utf8');
const { config } = validateConfigText(yaml, 'opsbook.yaml');
if (!config) throw new Error('bench: the demo config did not validate');
const redactor = createRedactor();
const store = await openStore({ cwd: work, env: {}, redactor });
const signal = new AbortController().signal;
const options = {
  cwd: work,
  config,
  environment: 'production',
  store,
  env: process.env,
  signal,
  redactor,
  actor: 'bench',
  providerFor: (s: Parameters<typeof createProvider>[0]) => createProvider(s, { cwd: work }),
  measure: createMeasure({ config, environment: 'production', env: process.env, signal, redactor }),
  pollMs: 100,
};

try {
  const overheads: number[] = [];
  const walls: number[] = [];
  for (let i = 1; i <= DEPLOYS; i++) {
    const t0 = performance.now();
    const r = await runDeploy({ ...options, version: `v${i}`, commit: `bench-${i}` });
    const wall = performance.now() - t0;
    if (r.status !== 'succeeded') throw new Error(`deploy ${i}: ${r.status}: ${r.message}`);
    walls.push(wall);
    overheads.push(wall - r.state!.externalMs);
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(
    `deploys measured: ${DEPLOYS} (local provider, api + worker, 4 verification measurements each)`,
  );
  console.log(`  wall time per deploy      median ${med(walls).toFixed(0)} ms`);
  console.log(
    `  opsbook's own overhead    median ${med(overheads).toFixed(0)} ms, max ${Math.max(...overheads).toFixed(0)} ms (aim < 1000 ms)`,
  );

  // The bad release: deep health broken by a real code change.
  const server = join(work, 'api', 'server.mjs');
  writeFileSync(server, readFileSync(server, 'utf8').replace("FROM notes'", "FROM note'"));
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
  const r = await runDeploy({ ...options, version: 'bad', commit: 'bench-bad' });
  polling = false;
  await poller;
  if (r.status !== 'rolled-back')
    throw new Error(`bad deploy: expected rolled-back, got ${r.status}: ${r.message}`);
  const failedAt = Date.parse(r.state!.times.failedAt!);
  const journal = Date.parse(r.state!.times.trafficRestoredAt!) - failedAt;
  const observed = flips.find((t) => t >= failedAt);
  console.log('failure limit reached -> traffic back on the old release (local provider):');
  console.log(`  from the journal          ${journal} ms (aim < 2000 ms)`);
  console.log(
    `  seen by a client          ${observed === undefined ? 'n/a' : `${observed - failedAt} ms`} (first good answer after the decision, 5 ms polling)`,
  );
} finally {
  await store.close();
  await stopLocalRuntime(work).catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
}
