// The built-in opsbook-falling-behind alert through the normal runner: an injected engine pace (no real overload),
// a fake clock, the persisted states and the outbox.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StackConfigInput } from '../config/index.js';
import { stackSchema } from '../config/schema.js';
import { openStore, type Store } from '../store/index.js';
import type { EnginePace } from './measure.js';
import { FALLING_BEHIND_RULE } from './rules.js';
import { createAlertRunner } from './runner.js';
import { addSilence } from './silences.js';

let store: Store;
let cwd: string;
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'opsbook-behind-'));
  store = await openStore({ cwd, env: {} });
});
afterEach(async () => {
  await store.close();
  await rm(cwd, { recursive: true, force: true });
});

const config = (over: Partial<StackConfigInput> = {}) =>
  stackSchema.parse({
    name: 'shop',
    services: { api: { kind: 'web' } },
    channels: { team: { type: 'console' }, pager: { type: 'console' } },
    ...over,
  });

const BEHIND: EnginePace = {
  behind: true,
  lateShare: 0.4,
  worstLagMs: 4_200,
  checksPerSecond: 600,
  dueRate: 1000,
};
const OK: EnginePace = { behind: false, lateShare: 0, worstLagMs: 80, checksPerSecond: 1000, dueRate: 1000 };

function harness(over: Partial<StackConfigInput> = {}) {
  let clock = Date.parse('2026-12-05T08:00:00Z');
  let pace: EnginePace | undefined;
  const runner = createAlertRunner({
    store,
    config: config(over),
    environment: 'production',
    now: () => clock,
    enginePace: () => pace,
    timing: { groupWaitMs: 0, groupIntervalMs: 0 },
  });
  /** Evaluates every 15 s for `ms` with the engine at `p`; the notifications produced. */
  const run = async (p: EnginePace | undefined, ms: number) => {
    pace = p;
    const sent: { status: string; ruleId: string; channels: string[]; text: string }[] = [];
    for (let t = 0; t < ms; t += 15_000) {
      clock += 15_000;
      const s = await runner.evaluate();
      sent.push(...s.notifications);
    }
    return sent;
  };
  return { run };
}

describe('the built-in falling-behind alert', () => {
  it('fires once per episode to every channel after its `for`, and resolves when the engine keeps up', async () => {
    const { run } = harness();
    expect(await run(undefined, 60_000)).toEqual([]);
    expect(await run(OK, 60_000)).toEqual([]);
    // 1 min `for`, then one notification however long the episode lasts (10 min here).
    const firing = await run(BEHIND, 10 * 60_000);
    expect(firing).toEqual([
      expect.objectContaining({ status: 'firing', ruleId: FALLING_BEHIND_RULE, channels: ['team', 'pager'] }),
    ]);
    expect(firing[0]?.text).toMatch(/falling behind: 40\.0% of checks started late \(up to 4\.2s\)/);
    // A short dip under the threshold inside keepFiringFor (5 min) is the same episode.
    expect(await run(OK, 60_000)).toEqual([]);
    expect(await run(BEHIND, 60_000)).toEqual([]);
    const resolved = await run(OK, 10 * 60_000);
    expect(resolved.map((n) => n.status)).toEqual(['resolved']);
  });

  it('is silenced like any alert, and routed by a `when: falling-behind` alert', async () => {
    await addSilence({
      store,
      environment: 'production',
      matchers: [`alertname=${FALLING_BEHIND_RULE}`],
      duration: '1h',
      comment: 'known: load test',
      createdBy: 'alice',
      now: () => Date.parse('2026-12-05T08:00:00Z'),
    });
    const silenced = harness();
    expect(await silenced.run(BEHIND, 5 * 60_000)).toEqual([]);

    const routed = harness({
      alerts: [
        { id: 'engine-lag', when: 'falling-behind', for: '0s', keepFiringFor: '0s', channels: ['pager'] },
      ],
    });
    const sent = await routed.run(BEHIND, 15_000);
    expect(sent).toEqual([
      expect.objectContaining({ status: 'firing', ruleId: 'engine-lag', channels: ['pager'] }),
    ]);
  });
});
