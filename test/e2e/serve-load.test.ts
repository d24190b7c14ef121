// The short form of `npm run bench:serve`, in CI: a crowd on /metrics and /status must not make the prober
// record false "down" samples (issue 11, item 9). The full figures come from the benchmark itself.
import { describe, expect, it } from 'vitest';
import { runServeLoad } from '../../bench/serve.js';

describe('opsbook serve under HTTP load', () => {
  it('records no false down while 20 clients hammer /metrics and /status over 1,000 monitors', async () => {
    const r = await runServeLoad({ monitors: 1_000, intervalMs: 10_000, seconds: 5, clients: 20 });
    expect(r.checks).toBeGreaterThan(0);
    expect(r.requests.metrics).toBeGreaterThan(0);
    expect(r.requests.status).toBeGreaterThan(0);
    expect(r.requests.failed).toBe(0);
    expect(r.down).toBe(0);
  }, 120_000);
});
