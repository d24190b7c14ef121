import { describe, expect, it } from 'vitest';
import { validateConfigText } from '../validate.js';

const found = (incidents: string) =>
  validateConfigText(
    `name: s\nservices:\n  api: { kind: web }\nchannels: { chat: { type: console } }\nincidents:\n${incidents}`,
    'opsbook.yaml',
  ).diagnostics.filter((d) => d.code === 'config/unreachable-contact');

describe('config/unreachable-contact', () => {
  it('warns about a contact without a channel whom an override of a paged schedule puts on call', () => {
    const [d, ...rest] = found(`  contacts:
    ana: { name: Ana, channel: chat }
    bob: { name: Bob }
  schedules:
    primary:
      timeZone: UTC
      layers: [{ rotation: weekly, start: "2030-01-07", participants: [ana] }]
      overrides: [{ contact: bob, start: "2030-01-08T00:00:00Z", end: "2030-01-09T00:00:00Z" }]
  escalation: [{ level: 1, after: 0s, notify: [primary] }]
`);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      severity: 'warning',
      message: "contact 'bob' is paged by the escalation but has no channel to reach them",
    });
  });
});
