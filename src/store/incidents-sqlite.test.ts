import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeIncidentsContract } from './incidents.contract.js';
import { openStore } from './index.js';

describeIncidentsContract('sqlite', async () => {
  const cwd = await mkdtemp(join(tmpdir(), 'opsbook-incidents-'));
  return {
    open: (options) => openStore({ cwd, env: {}, ...options }),
    dispose: () => rm(cwd, { recursive: true, force: true }),
  };
});
