import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { oncallAt, oncallSchedule } from './oncall.js';

let cwd: string;
beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'opsbook-oncall-'));
  writeFileSync(
    join(cwd, 'opsbook.yaml'),
    `name: demo
environments: { production: {} }
services:
  api: { kind: web, urls: { production: "http://127.0.0.1:1" } }
incidents:
  contacts:
    ana: { name: Ana, email: ana@example.com }
    ben: { name: Ben, email: ben@example.com }
  schedules:
    primary:
      timeZone: Europe/Berlin
      layers: [{ rotation: weekly, start: "2029-12-31", participants: [ana, ben] }]
    imported:
      timeZone: UTC
      ical: ./missing.ics
      layers: [{ rotation: daily, start: "2029-12-31", participants: [ben], days: [mon] }]
`,
  );
});
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

const at = (iso: string) => Date.parse(iso);

describe('oncallAt', () => {
  it('names who is on call in each schedule, with the stretch and where it comes from', async () => {
    const warnings: string[] = [];
    const now = await oncallAt({ cwd, at: at('2030-01-08T12:00:00Z'), onWarning: (m) => warnings.push(m) });
    expect(now.at).toBe('2030-01-08T12:00:00.000Z');
    expect(now.oncall).toEqual([
      {
        schedule: 'primary',
        contact: 'ben',
        declared: true,
        name: 'Ben',
        since: '2030-01-07T08:00:00.000Z',
        until: '2030-01-14T08:00:00.000Z',
        source: 'layer 1',
      },
      {
        schedule: 'imported',
        contact: null,
        declared: false,
        name: 'NOBODY',
        since: null,
        until: null,
        source: null,
      },
    ]);
    // The unreadable calendar is said, not swallowed.
    expect(warnings).toEqual([expect.stringContaining("iCal source of schedule 'imported'")]);
  });

  it('says nobody before any rotation starts', async () => {
    const now = await oncallAt({ cwd, at: at('2020-01-01T00:00:00Z') });
    expect(now.oncall.map((r) => r.contact)).toEqual([null, null]);
  });
});

describe('an unreadable iCal source', () => {
  it('is warned about with the quoted calendar text shown, its control characters as \\xNN', async () => {
    writeFileSync(join(cwd, 'garbled.ics'), 'garbage\u001b]0;owned\u0007\n');
    const dir = mkdtempSync(join(tmpdir(), 'opsbook-oncall-ical-'));
    try {
      writeFileSync(
        join(dir, 'opsbook.yaml'),
        `name: demo\nservices:\n  api: { kind: web }\nincidents:\n  schedules:\n    primary: { timeZone: UTC, ical: ${join(cwd, 'garbled.ics')} }\n`,
      );
      const warnings: string[] = [];
      await oncallAt({ cwd: dir, onWarning: (m) => warnings.push(m) });
      expect(warnings).toEqual([expect.stringContaining('garbage\\x1b]0;owned\\x07')]);
      expect(warnings[0]).not.toContain('\u001b');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('oncallSchedule', () => {
  it('lists the shifts of one schedule for the days asked, gaps included', async () => {
    const [primary, ...others] = await oncallSchedule({
      cwd,
      schedule: 'primary',
      at: at('2030-01-06T00:00:00Z'),
      days: 2,
    });
    expect(others).toEqual([]);
    expect(primary).toEqual({
      schedule: 'primary',
      timeZone: 'Europe/Berlin',
      shifts: [
        { contact: 'ana', name: 'Ana', start: '2030-01-06T00:00:00.000Z', end: '2030-01-07T08:00:00.000Z' },
        { contact: 'ben', name: 'Ben', start: '2030-01-07T08:00:00.000Z', end: '2030-01-08T00:00:00.000Z' },
      ],
    });
  });

  it('refuses a schedule the config does not declare, naming the ones it does', async () => {
    const error = await oncallSchedule({ cwd, schedule: 'nope' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe("unknown schedule 'nope'");
    expect((error as UserError).hint).toBe('schedules: primary, imported');
  });
});
