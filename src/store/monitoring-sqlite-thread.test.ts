import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, SQLITE_PATH } from './index.js';
import { describeMonitoringContract } from './monitoring.contract.js';

// The store `serve` opens: the same contract with the connection on its worker thread.
describeMonitoringContract('sqlite on a thread', async () => {
  const cwd = await mkdtemp(join(tmpdir(), 'opsbook-monitoring-'));
  return {
    open: (options) => openStore({ cwd, env: {}, ...options, sqlite: { thread: true } }),
    dumpRaw: () => readFile(join(cwd, SQLITE_PATH), 'latin1'),
    dispose: () => rm(cwd, { recursive: true, force: true }),
  };
});
