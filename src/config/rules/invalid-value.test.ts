import { describe, expect, it } from 'vitest';
import { validateConfigText } from '../validate.js';

const found = (override: string) =>
  validateConfigText(
    `name: s\nservices:\n  api: { kind: web }\nincidents:\n  contacts: { bob: { name: Bob } }\n  schedules:\n    primary:\n      timeZone: UTC\n      overrides: [${override}]\n`,
    'opsbook.yaml',
  ).diagnostics.filter((d) => d.code === 'config/invalid-value');

describe('config/invalid-value of an on-call override', () => {
  it('refuses one that ends before it starts, at its end', () => {
    expect(
      found('{ contact: bob, start: "2030-01-10T00:00:00Z", end: "2030-01-01T00:00:00Z" }'),
    ).toMatchObject([
      {
        severity: 'error',
        message:
          "this override of schedule 'primary' ends (2030-01-01T00:00:00Z) before it starts (2030-01-10T00:00:00Z): it never puts bob on call",
        hint: 'swap start and end, or correct the dates',
        location: { line: 9 },
      },
    ]);
    expect(found('{ contact: bob, start: "2030-01-01T00:00:00Z", end: "2030-01-10T00:00:00Z" }')).toEqual([]);
  });
});
