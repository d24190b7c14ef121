import { describe, expect, it } from 'vitest';
import { checkBodyCondition, checkHeaders, checkStatus, valueAt } from './conditions.js';

const body = {
  status: 'healthy',
  version: '2.4.1',
  latency_ms: 120,
  services: { database: { status: 'up', pool: [3, 7] } },
  checks: [
    { name: 'db', ok: true },
    { name: 'redis', ok: false },
  ],
  nothing: null,
};

describe('valueAt', () => {
  it('follows dotted paths, [n] and .n array indexes', () => {
    expect(valueAt(body, 'services.database.status')).toBe('up');
    expect(valueAt(body, 'checks[1].name')).toBe('redis');
    expect(valueAt(body, 'checks.0.ok')).toBe(true);
    expect(valueAt(body, 'services.database.pool[1]')).toBe(7);
    expect(valueAt(body, 'nothing')).toBeNull();
  });

  it('tells a missing path from a null value', () => {
    for (const path of ['services.cache.status', 'checks[5].name', 'status.length', 'nothing.x'])
      expect(typeof valueAt(body, path)).toBe('symbol');
  });
});

describe('checkBodyCondition', () => {
  const cases: [Parameters<typeof checkBodyCondition>[1], string | undefined][] = [
    [{ path: 'status', equals: 'healthy' }, undefined],
    [
      { path: 'services.database.status', equals: 'healthy' },
      "services.database.status is 'up', expected 'healthy'",
    ],
    [
      { path: 'services.cache.status', equals: 'healthy' },
      "services.cache.status is missing, expected 'healthy'",
    ],
    [{ path: 'nothing', equals: null }, undefined],
    [{ path: 'status', in: ['healthy', 'degraded'] }, undefined],
    [{ path: 'checks[1].ok', in: [true] }, 'checks[1].ok is false, expected one of true'],
    [{ path: 'version', matches: '^2\\.' }, undefined],
    [{ path: 'version', matches: '^3\\.' }, "version is '2.4.1', expected to match /^3\\./"],
    [{ path: 'version', matches: '(' }, "version: '(' is not a valid regular expression"],
    [{ path: 'latency_ms', lessThan: 500 }, undefined],
    [{ path: 'latency_ms', lessThan: 100 }, 'latency_ms is 120, expected less than 100'],
    [{ path: 'latency_ms', greaterThan: 200 }, 'latency_ms is 120, expected greater than 200'],
    [{ path: 'status', greaterThan: 1 }, "status is 'healthy', expected a number greater than 1"],
    [{ path: 'checks', exists: true }, undefined],
    [{ path: 'debug', exists: true }, 'debug is missing, expected it to exist'],
    [{ path: 'version', exists: false }, "version is '2.4.1', expected it to be absent"],
    [
      { path: 'services', equals: 'x' },
      `services is {"database":{"status":"up","pool":[3,7]}}, expected 'x'`,
    ],
  ];
  it.each(cases)('%j -> %s', (condition, expected) => {
    expect(checkBodyCondition(body, condition)).toBe(expected);
  });
});

describe('checkBodyCondition with hostile values', () => {
  it("writes a string field's control characters as \\xNN, so a health body cannot drive a terminal", () => {
    const failure = checkBodyCondition(
      { status: '\u001b]0;pwned\u0007\u001b[2J' },
      { path: 'status', equals: 'ok' },
    );
    expect(failure).toBe("status is '\\x1b]0;pwned\\x07\\x1b[2J', expected 'ok'");
  });
});

describe('checkBodyCondition on a value nested too deeply to print', () => {
  it('explains the failure instead of throwing (a 1 MiB body holds 500,000 nested arrays)', () => {
    const root: unknown[] = [];
    let at = root;
    for (let i = 0; i < 400_000; i++) {
      const next: unknown[] = [];
      at.push(next);
      at = next;
    }
    expect(checkBodyCondition({ status: root }, { path: 'status', equals: 'ok' })).toBe(
      "status is a value nested too deeply to show, expected 'ok'",
    );
  });
});

describe('checkStatus and checkHeaders', () => {
  it('explains a wrong status against one or several expected', () => {
    expect(checkStatus(200, 200)).toBeUndefined();
    expect(checkStatus(503, 200)).toBe('status 503, expected 200');
    expect(checkStatus(503, [200, 204])).toBe('status 503, expected one of 200, 204');
  });

  it('matches header names case-insensitively and values whole or before ;', () => {
    const actual = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
    expect(checkHeaders(actual, { 'Content-Type': 'application/json', 'cache-control': 'no-store' })).toEqual(
      [],
    );
    expect(checkHeaders(actual, { 'cache-control': 'no-cache', 'x-id': 'a' })).toEqual([
      "header cache-control is 'no-store', expected 'no-cache'",
      "header x-id is missing, expected 'a'",
    ]);
  });
});
