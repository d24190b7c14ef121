import { describe, expect, it } from 'vitest';
import { stackSchema } from '../config/schema.js';
import { resolveTarget } from './targets.js';

const config = stackSchema.parse({
  name: 'shop',
  services: { api: { kind: 'web' } },
  channels: { chat: { type: 'console' } },
  incidents: {
    contacts: { ana: { name: 'Ana', channel: 'chat' }, ben: { name: 'Ben' } },
    schedules: { primary: { timeZone: 'UTC' } },
  },
});
const at = Date.parse('2030-01-15T12:00:00Z');
const event = (contact: string) => ({ primary: [{ contact, start: at - 1, end: at + 1 }] });

describe('resolveTarget', () => {
  it('reaches whoever the calendar has on call through their channel', () => {
    expect(resolveTarget(config, 'primary', at, event('ana')).recipients).toEqual([
      { target: 'primary', contact: 'ana', contactName: 'Ana', channel: 'chat' },
    ]);
  });

  it('says a calendar name is no contact, and a contact without a channel has none', () => {
    expect(resolveTarget(config, 'primary', at, event('Bob')).unreachable).toEqual([
      { target: 'primary', reason: "'Bob' is on call in 'primary' but is not one of incidents.contacts" },
    ]);
    expect(resolveTarget(config, 'primary', at, event('ben')).unreachable).toEqual([
      { target: 'primary', reason: "contact 'ben' has no channel to reach them" },
    ]);
  });
});
