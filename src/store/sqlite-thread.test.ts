import { mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { openStore, SQLITE_PATH } from './index.js';
import { describeStoreContract, sqliteContractTarget } from './store.contract.js';

// The store `serve` opens: the same contract with the connection on its worker thread.
// Labelled 'sqlite': the contract checks that the store reports its backend.
describeStoreContract('sqlite', () => sqliteContractTarget({ thread: true }));

describe('sqlite store on a thread', () => {
  it('passes a locked store on as the UserError naming the lock directory, and a bad statement as its error', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'opsbook-store-'));
    const store = await openStore({ cwd, env: {}, sqlite: { thread: true, busyTimeoutMs: 300 } });
    try {
      const path = join(cwd, SQLITE_PATH);
      mkdirSync(`${path}.lock`);
      const locked = await store.monitoring.listMonitors().catch((e: unknown) => e);
      expect(locked).toBeInstanceOf(UserError);
      expect((locked as UserError).code).toBe('store/locked');
      expect((locked as UserError).hint).toContain(`${path}.lock`);
      await rm(`${path}.lock`, { recursive: true });
      expect(await store.monitoring.listMonitors()).toEqual([]);
    } finally {
      await store.close();
      await rm(cwd, { recursive: true, force: true });
    }
  });
});
