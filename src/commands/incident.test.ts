import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandInput } from '../../test/support/command-input.js';
import { stackSchema } from '../config/schema.js';
import { UserError } from '../errors.js';
import { acknowledgeIncident, openIncident } from '../incidents/index.js';
import { createOutput } from '../output/index.js';
import { openStore } from '../store/index.js';
import { run } from './incident.js';
import { INCIDENT_ARGS } from './specs-operate.js';

let dir: string;
const ESC = '\u001b';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'opsbook-incident-cmd-'));
  const yaml = `name: shop
services:
  api: { kind: web }
incidents:
  severities:
    P1: { name: Critical, respondWithin: 15m }
`;
  writeFileSync(join(dir, 'opsbook.yaml'), yaml);
  const config = stackSchema.parse((await import('yaml')).parse(yaml));
  const store = await openStore({ cwd: dir, env: {} });
  try {
    const ctx = { store, config };
    const { incident } = await openIncident(ctx, {
      environment: 'production',
      title: 'API down',
      severity: 'P1',
      actor: 'me',
    });
    // What outside text brings in: a status page's incident name, the name of whoever acknowledged in PagerDuty.
    await store.incidents.addTimeline(incident.id, [
      { kind: 'upstream', message: `Render: major outage (Deploys ${ESC}]0;owned\u0007stuck)` },
    ]);
    await acknowledgeIncident(ctx, incident.id, { actor: `Eve${ESC}[2J (PagerDuty)`, via: 'PagerDuty' });
  } finally {
    await store.close();
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function incident(
  positionals: string[],
  values: { output?: string; env?: string; by?: string; summary?: string } = {},
) {
  let written = '';
  const out = createOutput({
    mode: 'plain',
    stdout: { write: (s: string) => (written += s) },
    stderr: { write: (s: string) => (written += s) },
    env: {},
  });
  const outcome = await run(
    commandInput(INCIDENT_ARGS, { positionals: positionals as never, values, cwd: dir, out, env: {} }),
  );
  outcome.print?.(out);
  return { outcome, written };
}

describe('opsbook incident', () => {
  it('shows outside text of the timeline with its control characters as \\xNN, in every view', async () => {
    for (const args of [['show', '1'], ['list'], ['postmortem', '1'], ['ack', '1']]) {
      const { written } = await incident(args);
      expect(written, args.join(' ')).not.toContain(ESC);
      if (args[0] !== 'list') expect(written, args.join(' ')).toContain('Eve\\x1b[2J (PagerDuty)');
    }
    expect((await incident(['show', '1'])).written).toContain('(Deploys \\x1b]0;owned\\x07stuck)');
  });

  it('refuses a postmortem --output it cannot write, saying why, instead of crashing', async () => {
    for (const [output, why] of [
      ['missing/postmortem.md', 'its folder does not exist'],
      ['.', 'it is a folder'],
    ]) {
      const error = await incident(['postmortem', '1'], { output }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).message).toBe(`cannot write ${output}: ${why}`);
    }
  });
});

describe('opsbook incident resolve', () => {
  it('refuses a blank summary, which would say nothing on the status page', async () => {
    const error = await incident(['resolve', '1'], { summary: '   ' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect(error).toMatchObject({ message: 'resolve needs a summary' });
  });

  it('tells whoever resolves an incident of a severity that requires a postmortem when it is due', async () => {
    writeFileSync(
      join(dir, 'opsbook.yaml'),
      `name: shop
services:
  api: { kind: web }
incidents:
  severities:
    P1: { name: Critical, respondWithin: 15m }
  postmortem: { requiredFor: [P1], within: 48h }
`,
    );
    const { outcome, written } = await incident(['resolve', '1'], { summary: 'Rolled back' });
    const due = (outcome.data as { postmortemDue?: string }).postmortemDue;
    expect(due).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(written).toContain(
      `ok resolved #1; a postmortem is due by ${due}: draft it with 'opsbook incident postmortem 1'`,
    );
  });
});

describe('opsbook incident open', () => {
  it('refuses a blank --by instead of recording nobody as who acted', async () => {
    const error = await incident(['open', 'P1', 'API down'], { by: '  ' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect(error).toMatchObject({ message: 'missing --by', hint: 'give who acts, e.g. --by ana' });
  });

  it('refuses an environment the config does not declare, for open and list', async () => {
    for (const args of [['open', 'P1', 'API down'], ['list']]) {
      const error = await incident(args, { env: 'prodution' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      expect(error).toMatchObject({
        message: "unknown environment 'prodution'",
        hint: "did you mean 'production'?",
      });
    }
  });

  it('warns, instead of promising an escalation, when nobody is notified of the severity', async () => {
    writeFileSync(
      join(dir, 'opsbook.yaml'),
      `name: shop
services:
  api: { kind: web }
channels:
  chat: { type: console }
incidents:
  severities:
    P1: { name: Critical, channels: [chat] }
    P3: { name: Low }
  contacts: { ana: { name: Ana, channel: chat } }
  escalation: [{ level: 1, after: 0s, notify: [ana], severities: [P1] }]
`,
    );
    const low = await incident(['open', 'P3', 'Typo on the pricing page']);
    expect(low.outcome.ok).toBe(true);
    expect(low.written).not.toContain('escalates it');
    expect(low.written).toContain(
      'warning: nobody is notified of P3 incidents: no escalation step applies to P3 and it has no channels',
    );
    const high = await incident(['open', 'P1', 'API down']);
    expect(high.written).toContain("; 'opsbook serve' escalates it");
    expect(high.written).not.toContain('warning');
  });
});
