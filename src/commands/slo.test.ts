import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CommandValues, commandInput } from '../../test/support/command-input.js';
import { createOutput } from '../output/index.js';
import type { SloReport } from '../slo/index.js';
import { openStore, type SilenceRecord } from '../store/index.js';
import { run as runSilence } from './silence.js';
import { run as runSlo } from './slo.js';
import { SILENCE_ARGS, SLO_ARGS } from './specs-operate.js';
import type { CommandArgs, CommandHandler, PositionalValues } from './types.js';

let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'opsbook-slo-cmd-'));
  writeFileSync(
    join(dir, 'opsbook.yaml'),
    `name: shop
services:
  api: { kind: web }
slos:
  - { id: api-availability, service: api, indicator: availability, objective: 99%, window: 30d }
`,
  );
  // The last 100 minutes of checks, one a minute, 2 of them failed.
  const store = await openStore({ cwd: dir, env: {} });
  const now = Date.now();
  await store.monitoring.recordSamples(
    Array.from({ length: 100 }, (_, i) => ({
      monitorId: 'production:api:deep',
      environment: 'production',
      service: 'api',
      at: now - i * 60_000,
      outcome: i === 50 || i === 70 ? ('down' as const) : ('up' as const),
      latencyMs: 20,
    })),
  );
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function invoke<A extends CommandArgs>(
  handler: CommandHandler<A>,
  args: A,
  positionals: PositionalValues<A['positionals']>,
  values: CommandValues<A> = {},
) {
  let stdout = '';
  let stderr = '';
  const out = createOutput({
    mode: 'plain',
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: {},
  });
  const outcome = await handler(
    commandInput(args, { values, positionals, cwd: dir, out, env: { OPSBOOK_ACTOR: 'alice' } }),
  );
  outcome.print?.(out);
  return { outcome, stdout, stderr };
}

describe('opsbook slo', () => {
  it('prints the SLI, the budget left and the burn rates from the monitor history', async () => {
    const { outcome, stdout } = await invoke(runSlo, SLO_ARGS, []);
    const report = outcome.data as SloReport;
    expect(report.slos[0]).toMatchObject({ id: 'api-availability', total: 100, good: 98 });
    expect(report.slos[0]!.budgetRemaining).toBeCloseTo(-1, 6);
    const row = stdout.split('\n').find((l) => l.startsWith('api-availability'))!;
    expect(row).toMatch(/99\.00% \/ 30d\s+98\.000%\s+-100\.0%/);
    // 2% failed against a 1% budget: the 3d/6h pair burns at 2x.
    expect(row).toMatch(/2\.0x\s+burning \(ticket\)$/);
  });

  it('cannot tell, and fails, when no SLO has a measurement or none is configured', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'opsbook-slo-empty-'));
    try {
      const write = (slos: string) =>
        writeFileSync(join(empty, 'opsbook.yaml'), `name: shop\nservices:\n  api: { kind: web }\n${slos}`);
      const runIn = async () => {
        let stderr = '';
        const out = createOutput({
          mode: 'plain',
          stdout: { write: () => {} },
          stderr: { write: (s: string) => (stderr += s) },
          env: {},
        });
        const outcome = await runSlo(
          commandInput(SLO_ARGS, { values: {}, positionals: [], cwd: empty, out, env: {} }),
        );
        outcome.print?.(out);
        return { ok: outcome.ok, stderr };
      };
      write(
        'slos:\n  - { id: api-availability, service: api, indicator: availability, objective: 99%, window: 30d }\n',
      );
      const unmeasured = await runIn();
      expect(unmeasured.ok).toBe(false);
      expect(unmeasured.stderr).toContain('cannot tell: no SLO has a single measurement in its window');
      write('');
      const none = await runIn();
      expect(none.ok).toBe(false);
      expect(none.stderr).toContain('no SLOs for this environment');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('names the SLOs there are when asked for an unknown one', async () => {
    const error = await invoke(runSlo, SLO_ARGS, [], { slo: 'nope' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ message: "no SLO 'nope'", hint: 'configured: api-availability' });
  });
});

describe('opsbook silence', () => {
  it('adds, lists and expires a silence', async () => {
    const added = await invoke(runSilence, SILENCE_ARGS, ['add', 'service=api', 'alertname=~"api-.*"'], {
      comment: 'deploying the fix',
      duration: '30m',
    });
    const silence = added.outcome.data as SilenceRecord;
    expect(silence).toMatchObject({ createdBy: 'alice', comment: 'deploying the fix' });
    expect(added.stdout).toContain('silenced service=api alertname=~"api-.*" until');
    const listed = await invoke(runSilence, SILENCE_ARGS, ['list']);
    expect(listed.stdout).toMatch(new RegExp(`${silence.id}\\s+service=api alertname=~"api-\\.\\*"\\s+all`));
    await invoke(runSilence, SILENCE_ARGS, ['expire', silence.id]);
    expect((await invoke(runSilence, SILENCE_ARGS, ['list'])).stderr).toContain('no active silences');
  });

  it('refuses a silence that matches none of the alerts the config raises, naming the values there are', async () => {
    await expect(
      invoke(runSilence, SILENCE_ARGS, ['add', 'service=apj'], { comment: 'typo', duration: '30m' }),
    ).rejects.toMatchObject({
      code: 'alerts/silence-matches-nothing',
      message: 'this silence matches none of the alerts the config can raise, so it would mute nothing',
      hint: 'did you mean service=api? service: api, opsbook',
    });
    // Each matches an alert, never the same one: the engine's own alert is not about api.
    await expect(
      invoke(runSilence, SILENCE_ARGS, ['add', 'service=api', 'alertname=opsbook-falling-behind'], {
        comment: 'both',
        duration: '30m',
      }),
    ).rejects.toMatchObject({
      hint: expect.stringMatching(/^no alert carries all of these labels together/),
    });
    await expect(
      invoke(runSilence, SILENCE_ARGS, ['add', 'service=api'], { comment: 'x', env: 'staging' }),
    ).rejects.toThrow(/staging/);
    expect((await invoke(runSilence, SILENCE_ARGS, ['list'])).stderr).toContain('no active silences');
  });

  it('explains a missing action or matcher', async () => {
    await expect(invoke(runSilence, SILENCE_ARGS, [])).rejects.toThrow(/silence needs an action/);
    await expect(invoke(runSilence, SILENCE_ARGS, ['add'], { comment: 'x' })).rejects.toThrow(
      /at least one matcher/,
    );
  });
});
