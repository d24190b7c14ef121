import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandInput } from '../../test/support/command-input.js';
import { createOutput } from '../output/index.js';
import { run } from './oncall.js';
import { ONCALL_ARGS } from './specs-operate.js';

let dir: string;

// One calendar event, covering today for years, titled with a name that is no contact and a terminal escape.
const calendar = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//test//EN',
  'BEGIN:VEVENT',
  'UID:1@test',
  'DTSTAMP:20300101T000000Z',
  'DTSTART:20200101T000000Z',
  'DTEND:20400101T000000Z',
  'SUMMARY:Bob\u001b]0;owned\u0007',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'opsbook-oncall-cmd-'));
  writeFileSync(join(dir, 'team.ics'), calendar);
  writeFileSync(
    join(dir, 'opsbook.yaml'),
    `name: shop
services:
  api: { kind: web }
channels:
  chat: { type: console }
incidents:
  contacts:
    ana: { name: Ana, channel: chat }
  schedules:
    primary:
      timeZone: UTC
      ical: team.ics
`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function oncall(positionals: string[]) {
  let stdout = '';
  let stderr = '';
  const out = createOutput({
    mode: 'plain',
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: {},
  });
  const outcome = await run(
    commandInput(ONCALL_ARGS, { positionals: positionals as never, cwd: dir, out, env: {} }),
  );
  outcome.print?.(out);
  return { outcome, stdout, stderr };
}

describe('opsbook oncall', () => {
  it('fails when the calendar puts someone on call who is no contact, whom no escalation can page', async () => {
    const { outcome, stdout, stderr } = await oncall(['now']);
    expect(outcome.ok).toBe(false);
    expect(stderr).toContain(
      "error: 'Bob\\x1b]0;owned\\x07' is on call in 'primary' (calendar) but is not one of incidents.contacts",
    );
    // The calendar's text is shown, its control characters as \xNN: they never reach the terminal.
    expect(stdout).toContain('Bob\\x1b]0;owned\\x07');
    expect(`${stdout}${stderr}`).not.toContain('\u001b');
  });

  it('shows the calendar names in the shifts without their control characters', async () => {
    const { outcome, stdout } = await oncall(['schedule', 'primary']);
    expect(outcome.ok).toBe(true);
    expect(stdout).toContain('Bob\\x1b]0;owned\\x07');
    expect(stdout).not.toContain('\u001b');
  });
});
