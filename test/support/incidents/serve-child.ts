// One `opsbook serve` for team.test.ts, on a shared PostgreSQL with fast incident timing. Prints
// `ready <instanceId>`, then `incident pass` after each pass of its incident loop; stops cleanly on SIGTERM.
import { parse } from 'yaml';
import { serve } from '../../../src/app/serve.js';
import { stackSchema } from '../../../src/config/schema.js';

const [databaseUrl = '', yaml = ''] = process.argv.slice(2);
const handle = await serve({
  cwd: process.cwd(),
  config: stackSchema.parse(parse(yaml)),
  env: { OPSBOOK_DATABASE_URL: databaseUrl, OPSBOOK_SIGNING_KEY: 'team-test-signing-key-of-32-chars' },
  port: 0,
  log: (level, message) => process.stderr.write(`${level}: ${message}\n`),
  timing: {
    incidentIntervalMs: 200,
    incidentLockTtlMs: 1_500,
    alertIntervalMs: 1_000,
    onRound: (loop) => {
      if (loop === 'incidents') process.stdout.write('incident pass\n');
    },
  },
});
process.stdout.write(`ready ${handle.instanceId}\n`);
await new Promise((resolve) => process.once('SIGTERM', resolve));
await handle.close();
