import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { stackSchema } from '../config/schema.js';
import { compileRules } from './rules.js';
import { unfireableRules } from './unfireable.js';

const config = stackSchema.parse(
  parse(`name: shop
channels: { ops: { type: console } }
monitoring: { interval: 5m }
services:
  api: { kind: web }
  worker: { kind: worker }
alerts:
  - { id: worker-down, service: worker, when: down }
  - { id: api-down, service: api, when: down }
  - { id: api-errors, service: api, when: error-rate, window: 5m }
  - { id: api-errors-1h, service: api, when: error-rate, window: 1h }
  - { id: api-slow, service: api, when: latency, window: 1h, minSamples: 50 }
  - { id: api-cert, service: api, when: certificate }
slos:
  - { id: api-availability, service: api, indicator: availability, objective: 99.9% }
`),
);
const { rules } = compileRules(config, 'production');
const api = (intervalMs: number, url = 'http://api.internal/health') => ({
  service: 'api',
  kind: 'http',
  target: `GET ${url}`,
  intervalMs,
  timeoutMs: 5_000,
});

describe('unfireableRules', () => {
  it('names every rule that cannot fire with these monitors, and why', () => {
    const found = unfireableRules(rules, [api(300_000)]);
    const byRule = Object.fromEntries(found.map((f) => [f.rule, f.message]));
    expect(Object.keys(byRule).sort()).toEqual(['api-cert', 'api-errors', 'api-slow', 'worker-down']);
    expect(byRule['worker-down']).toMatch(/nothing checks worker here/);
    expect(byRule['api-errors']).toMatch(/waits for 3 checks in 5m, and api's monitors make at most 2 there/);
    expect(byRule['api-slow']).toMatch(/waits for 50 checks in 1h/);
    expect(byRule['api-cert']).toMatch(/no monitor of api calls an https:\/\/ URL/);
  });

  it("names the SLO's page alert when no short window can hold enough checks", () => {
    const found = unfireableRules(rules, [api(3_600_000, 'https://api.example.com/health')]);
    const burn = found.filter((f) => f.rule.startsWith('api-availability'));
    expect(burn).toEqual([
      expect.objectContaining({
        rule: 'api-availability-burn-page',
        message: expect.stringMatching(/shortest window \(5m\) cannot hold the 3 checks/),
      }),
    ]);
  });

  it('leaves out services nothing checks for an alert written for every service', () => {
    const found = unfireableRules(
      rules,
      [api(10_000, 'https://api.example.com/health')],
      new Set(['worker-down']),
    );
    expect(found).toEqual([]);
  });

  it('names a threshold no check can cross: an error rate above 100%, a latency not below the timeout', () => {
    const strict = stackSchema.parse(
      parse(`name: shop
services:
  api: { kind: web }
alerts:
  - { id: all-fail, service: api, when: error-rate, above: 100%, window: 1h }
  - { id: glacial, service: api, when: latency, above: 30s, window: 1h }
  - { id: slow, service: api, when: latency, above: 2s, window: 1h }
`),
    );
    const found = unfireableRules(compileRules(strict, 'production').rules, [api(10_000)]);
    expect(found.map((f) => [f.rule, f.message])).toEqual([
      ['all-fail', expect.stringMatching(/threshold is 100%/)],
      ['glacial', expect.stringMatching(/threshold \(30s\) is not below the checks' timeout \(5s\)/)],
    ]);
  });

  it('names a run of failures longer than the raw samples kept', () => {
    const long = stackSchema.parse(
      parse(`name: shop
services:
  api: { kind: web }
alerts:
  - { id: many, service: api, when: consecutive-failures, count: 100 }
  - { id: few, service: api, when: consecutive-failures, count: 3 }
`),
    );
    const found = unfireableRules(
      compileRules(long, 'production').rules,
      [api(60_000)],
      new Set(),
      3_600_000,
    );
    expect(found.map((f) => [f.rule, f.message])).toEqual([
      ['many', expect.stringMatching(/waits for 100 failed checks in a row, .* hold at most 61/)],
    ]);
  });

  it('finds nothing when the monitors can feed every rule', () => {
    const worker = {
      service: 'worker',
      kind: 'heartbeat',
      target: 'ping every 1m',
      intervalMs: 60_000,
      timeoutMs: 10_000,
    };
    const found = unfireableRules(rules, [api(10_000, 'https://api.example.com/health'), worker]);
    expect(found).toEqual([]);
  });
});
