import { afterEach, describe, expect, it } from 'vitest';
import { type BlackholeProxy, startBlackholeProxy } from '../../test/support/migrations/blackhole-proxy.js';
import { markPgSkipped, pgAvailable, pgUrl } from '../../test/support/pg.js';
import { connect } from './pg.js';

const available = await pgAvailable();
if (!available) markPgSkipped(`backup connection tests: no PostgreSQL at ${pgUrl()}`);

describe.skipIf(!available)('a backup connection', () => {
  let proxy: BlackholeProxy | undefined;
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
  });

  it('fails a query on a black-holed connection within the query limit instead of hanging', async () => {
    proxy = await startBlackholeProxy(pgUrl());
    const client = await connect(proxy.url, 'test', { queryMs: 500 });
    try {
      expect((await client.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      proxy.blackhole();
      // Without the limit this query never settles, and the test times out.
      await expect(client.query('SELECT 1')).rejects.toThrow(/timeout/i);
    } finally {
      await client.end().catch(() => {});
    }
  });
});
