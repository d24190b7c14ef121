// One of several processes hammering the same SQLite store (see sqlite.test.ts). Prints {acquired, runId}.
import { setTimeout as sleep } from 'node:timers/promises';
import { openStore } from '../../../src/store/index.js';

const [cwd = '', label = 'child', startAt = '0', count = '10'] = process.argv.slice(2);
const store = await openStore({ cwd, env: {} });
try {
  // Start together so the lock is contended, not handed out one process after another.
  await sleep(Math.max(0, Number(startAt) - Date.now()));
  const lock = await store.acquireLock('race', { holder: label });
  const run = await store.createRun({ kind: 'check', actor: label });
  for (let i = 0; i < Number(count); i++) {
    await store.appendEvent(run.id, { level: 'info', type: 'tick', message: `${label} ${i}` });
  }
  process.stdout.write(JSON.stringify({ acquired: lock.acquired, runId: run.id }));
} finally {
  await store.close();
}
