import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeAlertingContract } from './alerting.contract.js';
import { openStore } from './index.js';

describeAlertingContract('sqlite', async () => {
  const cwd = await mkdtemp(join(tmpdir(), 'opsbook-alerting-'));
  return {
    open: (options) => openStore({ cwd, env: {}, ...options }),
    dispose: () => rm(cwd, { recursive: true, force: true }),
  };
});
