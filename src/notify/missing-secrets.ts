/** The secret variables a channel needs that are not set here: every notification through it would fail. */
import type { Channel, SecretRef } from '../config/index.js';

const ref = (v: unknown): SecretRef | undefined =>
  typeof v === 'object' && v !== null && 'env' in v ? (v as SecretRef) : undefined;

function secretRefs(channel: Channel): SecretRef[] {
  switch (channel.type) {
    case 'slack':
      return [ref(channel.webhook)].filter((r) => r !== undefined);
    case 'webhook':
      return [ref(channel.url), channel.secret, ...Object.values(channel.headers ?? {}).map(ref)].filter(
        (r) => r !== undefined,
      );
    case 'email':
      return channel.smtp.password ? [channel.smtp.password] : [];
    case 'pagerduty':
      return [channel.routingKey, ...(channel.webhookSecret ? [channel.webhookSecret] : [])];
    default:
      return [];
  }
}

export function missingChannelSecrets(
  channels: Record<string, Channel>,
  env: Record<string, string | undefined>,
): { channel: string; variable: string }[] {
  return Object.entries(channels).flatMap(([name, channel]) =>
    secretRefs(channel)
      .filter((r) => !env[r.env])
      .map((r) => ({ channel: name, variable: r.env })),
  );
}
