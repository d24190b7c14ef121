// One `opsbook serve`-like engine process for team.test.ts: N loopback monitors at 1 s on a shared PostgreSQL.
// Prints `ready`, then a JSON line with its check count every 200 ms; stops cleanly on SIGTERM.
import { stackSchema } from '../../../src/config/schema.js';
import { createMonitorEngine } from '../../../src/monitors/index.js';
import { openStore } from '../../../src/store/index.js';

const [databaseUrl = '', schema = '', targetUrl = '', instanceId = '', count = '10'] = process.argv.slice(2);
const config = stackSchema.parse({
  name: 'team',
  monitoring: { interval: '1s', retries: 0 },
  services: {
    target: {
      kind: 'web',
      urls: { production: targetUrl },
      health: Array.from({ length: Number(count) }, (_, i) => ({
        type: 'liveness',
        name: `m${i}`,
        path: `/m${i}`,
        timeout: '300ms',
      })),
    },
  },
});
const store = await openStore({ cwd: process.cwd(), env: { OPSBOOK_DATABASE_URL: databaseUrl }, schema });
const controller = new AbortController();
process.once('SIGTERM', () => controller.abort());
const engine = await createMonitorEngine({
  store,
  config,
  environment: 'production',
  env: {},
  signal: controller.signal,
  instanceId,
  log: (level, message) => process.stderr.write(`${level}: ${message}\n`),
});
process.stdout.write('ready\n');
const report = setInterval(
  () => process.stdout.write(`${JSON.stringify({ checks: engine.stats().checks })}\n`),
  200,
);
await engine.done;
clearInterval(report);
await store.close();
