/** Who an escalation target reaches now: a contact through their channel, whoever a schedule has on call, or a channel. */
import type { Channel, StackConfig } from '../config/index.js';
import { onCallAt, type Span, scheduleSpec } from '../oncall/index.js';

export interface Recipient {
  /** The target as the policy names it, and the person when it resolves to one. */
  target: string;
  contact?: string;
  contactName?: string;
  channel: string;
  /** Email channels send to the contact's address instead of the channel's list. */
  to?: string[];
}

export interface Unreachable {
  target: string;
  reason: string;
}

export function resolveTarget(
  config: StackConfig,
  target: string,
  now: number,
  calendars: Record<string, Span[]> = {},
): { recipients: Recipient[]; unreachable: Unreachable[] } {
  const incidents = config.incidents;
  const contact = incidents?.contacts[target];
  if (contact) return reachContact(config, target, target);
  const schedule = incidents?.schedules[target];
  if (schedule) {
    const on = onCallAt(scheduleSpec(target, schedule, calendars[target] ?? []), now);
    if (!on)
      return {
        recipients: [],
        unreachable: [{ target, reason: `nobody is on call in schedule '${target}'` }],
      };
    return reachContact(config, target, on.contact);
  }
  if (config.channels[target]) return { recipients: [{ target, channel: target }], unreachable: [] };
  return {
    recipients: [],
    unreachable: [{ target, reason: `'${target}' is no longer a contact, schedule or channel` }],
  };
}

function reachContact(config: StackConfig, target: string, name: string) {
  const contact = config.incidents?.contacts[name];
  // An iCal event's title names anyone; saying they lack a channel sent people looking for a contact that is not there.
  if (!contact)
    return {
      recipients: [],
      unreachable: [
        { target, reason: `'${name}' is on call in '${target}' but is not one of incidents.contacts` },
      ],
    };
  if (!contact.channel || !config.channels[contact.channel])
    return {
      recipients: [],
      unreachable: [{ target, reason: `contact '${name}' has no channel to reach them` }],
    };
  const channel: Channel = config.channels[contact.channel]!;
  const to = channel.type === 'email' && contact.email ? { to: [contact.email] } : {};
  return {
    recipients: [{ target, contact: name, contactName: contact.name, channel: contact.channel, ...to }],
    unreachable: [],
  };
}
