import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemorySignals } from '../../test/support/alerts/memory-signals.js';
import { stackSchema } from '../config/schema.js';
import { UserError } from '../errors.js';
import { openStore, type Store } from '../store/index.js';
import { matches, parseMatcher } from './matchers.js';
import { createAlertRunner } from './runner.js';
import { addSilence, expireSilence, listSilences } from './silences.js';

describe('parseMatcher', () => {
  it('reads the four operators, quoted values and anchored regular expressions', () => {
    expect(parseMatcher('service=api')).toEqual({ label: 'service', op: '=', value: 'api' });
    expect(parseMatcher('severity != P3')).toEqual({ label: 'severity', op: '!=', value: 'P3' });
    const re = parseMatcher('alertname=~"api-.*"');
    expect(re).toEqual({ label: 'alertname', op: '=~', value: 'api-.*' });
    expect(matches(re, { alertname: 'api-down' })).toBe(true);
    expect(matches(parseMatcher('service=~api'), { service: 'api-2' })).toBe(false);
    expect(matches(parseMatcher('service!~"db|cache"'), { service: 'api' })).toBe(true);
  });

  it('explains a malformed matcher or regular expression', () => {
    expect(() => parseMatcher('service')).toThrow(UserError);
    expect(() => parseMatcher('service=~"("')).toThrow(/invalid regular expression/);
  });
});

describe('silences', () => {
  let cwd: string;
  let store: Store;
  let now: number;
  beforeEach(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'opsbook-silences-'));
    now = Date.parse('2030-01-01T00:00:00.000Z');
    store = await openStore({ cwd, env: {}, now: () => new Date(now) });
  });
  afterEach(async () => {
    await store.close();
    await rm(cwd, { recursive: true, force: true });
  });

  const add = (over: Partial<Parameters<typeof addSilence>[0]> = {}) =>
    addSilence({
      store,
      matchers: ['service=api'],
      duration: '2h',
      comment: 'deploying the fix',
      createdBy: 'alice',
      now: () => now,
      ...over,
    });

  it('adds a silence for a duration, lists it while active, and expires it', async () => {
    const silence = await add({ environment: 'production' });
    expect(silence).toMatchObject({
      environment: 'production',
      matchers: [{ label: 'service', op: '=', value: 'api' }],
      startsAt: '2030-01-01T00:00:00.000Z',
      endsAt: '2030-01-01T02:00:00.000Z',
    });
    expect(await listSilences({ store, environment: 'production' })).toHaveLength(1);
    expect(await listSilences({ store, environment: 'staging' })).toHaveLength(0);
    now += 60_000;
    await expireSilence({ store, id: silence.id });
    expect(await listSilences({ store })).toEqual([]);
    expect(await listSilences({ store, includeExpired: true })).toHaveLength(1);
    await expect(expireSilence({ store, id: 'NOPE' })).rejects.toThrow(/no silence with id NOPE/);
  });

  it('refuses silences that would mute everything, end in the past or lack a reason', async () => {
    await expect(add({ matchers: [] })).rejects.toThrow(/at least one matcher/);
    await expect(add({ matchers: ['service=~".*"'] })).rejects.toThrow(/mute everything/);
    await expect(add({ endsAt: '2029-12-31T00:00:00.000Z', duration: undefined })).rejects.toThrow(
      /end before/,
    );
    await expect(add({ duration: 'soon' })).rejects.toThrow(/not a duration/);
    // A duration past any date (999…d) is a user error with the bound, not a crash in Date.
    await expect(add({ duration: '999999999999999999999d' })).rejects.toMatchObject({
      code: 'alerts/silence-too-long',
      message: expect.stringContaining('at most 366d'),
    });
    await expect(add({ endsAt: '9999-12-31T00:00:00.000Z', duration: undefined })).rejects.toThrow(
      /at most 366d/,
    );
    await expect(add({ comment: ' ' })).rejects.toThrow(/comment/);
    await expect(add({ matchers: ['servce=api'] })).rejects.toMatchObject({
      message: "'servce' is not an alert label",
      hint: expect.stringContaining("did you mean 'service'?"),
    });
  });

  it('mutes the matching alert in the runner until it expires', async () => {
    const config = stackSchema.parse({
      name: 'shop',
      services: { api: { kind: 'web' }, web: { kind: 'web' } },
      channels: { team: { type: 'console' } },
      alerts: [{ id: 'down', when: 'down' }],
    });
    const signals = createMemorySignals();
    const runner = createAlertRunner({
      store,
      config,
      environment: 'production',
      signals,
      now: () => now,
      timing: { groupWaitMs: 0, groupIntervalMs: 0 },
    });
    const silence = await add();
    for (const service of ['api', 'web'])
      signals.record(service, 'deep', { at: now, outcome: 'down', latencyMs: 0 });
    const first = await runner.evaluate();
    expect(first.notifications.map((n) => n.service)).toEqual(['web']);
    expect(first.alerts.find((a) => a.service === 'api')?.mutedBy).toEqual({ silence: silence.id });
    now += 60_000;
    await expireSilence({ store, id: silence.id });
    const second = await runner.evaluate();
    expect(second.notifications.map((n) => n.service)).toEqual(['api']);
  });
});
