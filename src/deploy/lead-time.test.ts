import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup } from '../../test/support/deploy/setup.js';
import { runDeploy } from './run-deploy.js';

// A webhook channel on loopback that records what it was sent.
const received: { event: string }[] = [];
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    received.push(JSON.parse(body) as { event: string });
    res.end('ok');
  });
});
let url = '';
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const announcing = (leadTime: string) =>
  `announcements: { channels: [hook], leadTime: ${leadTime} }\nchannels:\n  hook: { type: webhook, url: "${url}" }\n`;

async function deployWatchingTheClock(extra: string, leadTimeMs?: number) {
  const { options, platform } = await setup(extra);
  let clock = Date.parse('2026-11-21T10:00:00Z');
  const deployedAt: number[] = [];
  const r = await runDeploy({
    ...options,
    now: () => clock,
    sleep: async (ms) => {
      clock += ms;
    },
    ...(leadTimeMs !== undefined ? { leadTimeMs } : {}),
    providerFor: (s) => {
      const p = platform.provider(s);
      return {
        ...p,
        deploy: (input, ctx) => {
          deployedAt.push(clock);
          return p.deploy(input, ctx);
        },
      };
    },
  });
  return { r, deployedAt, announcedAt: Date.parse(r.state!.times.announcedAt!) };
}

describe('announcements.leadTime', () => {
  it('announces the start, then changes production no sooner than the lead time after', async () => {
    received.length = 0;
    const { r, deployedAt, announcedAt } = await deployWatchingTheClock(announcing('5m'));
    expect(r.status).toBe('succeeded');
    expect(r.plan.announce).toEqual({
      channels: ['hook'],
      events: ['start', 'success', 'failure', 'rollback'],
      leadTimeMs: 300_000,
    });
    expect(deployedAt[0]! - announcedAt).toBeGreaterThanOrEqual(300_000);
    expect(received.map((m) => m.event)).toContain('deploy.start');
  });

  it('waits not at all with --lead-time 0, nor when the start is not announced', async () => {
    const skipped = await deployWatchingTheClock(announcing('5m'), 0);
    expect(skipped.deployedAt[0]! - skipped.announcedAt).toBeLessThan(300_000);
    const silent = await deployWatchingTheClock(
      `announcements: { channels: [hook], on: [success], leadTime: 5m }\nchannels:\n  hook: { type: webhook, url: "${url}" }\n`,
    );
    expect(silent.r.plan.announce?.leadTimeMs).toBe(0);
  });
});
