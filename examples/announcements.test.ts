import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseDuration, type StackConfig } from '../src/config/index.js';
import { type AnnounceEvent, announcement } from '../src/deploy/announce.js';
import type { DeployState } from '../src/deploy/index.js';
import { planDeploy } from '../src/deploy/plan.js';

const root = fileURLToPath(new URL('.', import.meta.url));
const examples = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(root, d.name, 'opsbook.yaml')))
  .map((d) => d.name)
  .sort();
const EVENTS: AnnounceEvent[] = ['start', 'success', 'failure', 'rollback'];
const T0 = Date.parse('2026-12-05T08:00:00Z');

async function load(name: string): Promise<StackConfig> {
  const result = await loadConfig({ cwd: root, file: join(name, 'opsbook.yaml') });
  if (!result.config) throw new Error(`${name}: ${JSON.stringify(result.diagnostics)}`);
  return result.config;
}

/** A run of the example's production deploy at `event`: verified good, or failed and rolled back. */
function stateAt(config: StackConfig, event: AnnounceEvent): DeployState {
  const plan = planDeploy({
    config,
    environment: 'production',
    commit: 'abc123def4567890',
    parse: parseDuration,
  });
  const bad = event === 'failure' || event === 'rollback';
  return {
    plan,
    phase: 'finished',
    actor: 'alice',
    commit: 'abc123def4567890',
    commitRange: [],
    services: Object.fromEntries(
      plan.groups.flat().map((s) => [
        s,
        {
          state: event === 'rollback' ? 'rolled-back' : event === 'start' ? 'pending' : 'live',
          previous: null,
          deploy: null,
          rollback: null,
          successLines: [],
          troubleLines: [],
        },
      ]),
    ),
    times: { requestedAt: new Date(T0).toISOString(), announcedAt: new Date(T0).toISOString() },
    ...(event === 'start'
      ? {}
      : {
          verification: {
            outcome: bad ? 'failed' : 'successful',
            reason: bad ? 'readiness HTTP 503' : '4 of 4 measurements passed',
            measurements: 4,
            failed: bad ? 2 : 0,
            inconclusive: 0,
          },
        }),
    ...(bad ? { failure: { trigger: 'health-failed', reason: 'readiness HTTP 503' } } : {}),
    downtimeMs: 0,
    announcements: [],
    externalMs: 0,
  };
}

describe.each(examples)('%s announcements', (name) => {
  it.each(EVENTS)('renders the %s announcement with every variable filled in', async (event) => {
    const config = await load(name);
    const n = announcement(config, stateAt(config, event), event, T0 + 12 * 60_000);
    const text = [n.title, n.text, ...Object.entries(n.fields ?? {}).flat()].join('\n');
    // Neither a template variable nor the single-brace remains of one (kamiyo's `{main}`) reaches a channel.
    expect(text).not.toMatch(/\{\{|\}\}/);
    expect(text).not.toMatch(/\{[\w.-]+\}/);
    expect(n.title).toContain(config.name);
  });
});

describe('kamiyo announcements', () => {
  it("fill the runbook's message: branch, commit, each service's health, duration, issues", async () => {
    const config = await load('kamiyo');
    const start = announcement(config, stateAt(config, 'start'), 'start', T0);
    expect(start.text).toContain('- Branch: main\n- Commit: abc123def456\n');
    expect(start.fields?.['Starts at']).toBe('2026-12-05 08:05 UTC'); // leadTime: 5m
    const success = announcement(config, stateAt(config, 'success'), 'success', T0 + 12 * 60_000);
    expect(success.text).toContain('- API: https://api.kamiyo.ai/health (healthy)');
    expect(success.text).toContain('- Frontend: https://kamiyo.ai (healthy)');
    expect(success.text).toContain('- Duration: 12m 0s');
    expect(success.text).toContain('- Issues: None');
  });
});
