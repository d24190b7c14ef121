// The bar of the demo: steady traffic through the proxy sees no failed request across a cutover and a rollback.
import { Agent, request } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createStackDir,
  localContext,
  webService,
} from '../../../test/support/providers/local/local-fixture.js';
import { followDeploy } from '../follow-deploy.js';
import { createLocalProvider, stopLocalRuntime } from './index.js';

interface LoadReport {
  sent: number;
  failed: string[];
  /** The version each answer came from, in the order they completed. */
  versions: string[];
}

/** `concurrency` clients on kept-alive connections, looping until stopped (or `maxRequests`, or `maxMs`). */
function startLoad(url: string, concurrency: number, limits: { maxRequests: number; maxMs: number }) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const report: LoadReport = { sent: 0, failed: [], versions: [] };
  const deadline = Date.now() + limits.maxMs;
  let stopped = false;
  const once = (path: string) =>
    new Promise<void>((resolve) => {
      report.sent++;
      const req = request(`${url}${path}`, { agent }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => (body += c));
        res.on('end', () => {
          if (res.statusCode === 200) report.versions.push(body);
          else report.failed.push(`${res.statusCode}: ${body.trim()}`);
          resolve();
        });
      });
      req.on('error', (error) => {
        report.failed.push(error.message);
        resolve();
      });
      req.end();
    });
  const client = async (n: number) => {
    for (let i = 0; !stopped && Date.now() < deadline && report.sent < limits.maxRequests; i++) {
      // Every tenth request is slow, so some are in flight on the old release when traffic switches.
      await once(i % 10 === n % 10 ? '/?delay=150' : '/');
    }
  };
  const running = Promise.all(Array.from({ length: concurrency }, (_, n) => client(n)));
  return {
    report,
    stop: async () => {
      stopped = true;
      await running;
      agent.destroy();
      return report;
    },
  };
}

describe('local provider under load', () => {
  const stack = createStackDir();
  afterAll(async () => {
    await stopLocalRuntime(stack.dir);
    stack.remove();
  });

  it('fails no request while it deploys v2 and rolls back to v1', async () => {
    const ctx = localContext(stack.dir, stack.pidDir);
    const provider = createLocalProvider(webService('web'), { readyTimeoutMs: 10_000, stopTimeoutMs: 2000 });
    const ship = async (version: string) =>
      followDeploy(provider, (await provider.deploy({ environment: 'test', version }, ctx)).id, ctx, {
        intervalMs: 50,
        timeoutMs: 15_000,
      });
    const v1 = await ship('v1');
    expect(v1.state).toBe('live');

    const load = startLoad(v1.url!, 6, { maxRequests: 20_000, maxMs: 25_000 });
    await delay(300);
    expect((await ship('v2')).state).toBe('live');
    await delay(500);
    const cutover = load.report.versions.length;
    expect((await provider.rollback(v1.id, ctx)).state).toBe('live');
    await delay(500);
    const report = await load.stop();

    expect(report.failed).toEqual([]);
    expect(report.versions.length).toBeGreaterThan(100);
    expect(report.versions.slice(0, 5)).toEqual(Array(5).fill('v1'));
    expect(report.versions.slice(cutover - 5, cutover)).toEqual(Array(5).fill('v2'));
    expect(report.versions.slice(-5)).toEqual(Array(5).fill('v1'));
  });
});
