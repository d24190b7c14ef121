import { describe, expect, it } from 'vitest';
import { stackSchema } from '../config/schema.js';
import { missingChannelSecrets } from './missing-secrets.js';

const { channels } = stackSchema.parse({
  name: 'shop',
  services: { api: { kind: 'web' } },
  channels: {
    chat: { type: 'console' },
    team: { type: 'slack', webhook: { env: 'SLACK_URL' } },
    hook: {
      type: 'webhook',
      url: 'https://hooks.example.test/in',
      secret: { env: 'HOOK_SECRET' },
      headers: { Authorization: { env: 'HOOK_AUTH' }, 'X-Team': 'ops' },
    },
    mail: {
      type: 'email',
      to: ['ops@example.com'],
      from: 'bot@example.com',
      smtp: { host: 'smtp.example.com', user: 'bot', password: { env: 'SMTP_PASSWORD' } },
    },
    pd: { type: 'pagerduty', routingKey: { env: 'PD_KEY' } },
  },
});

describe('missingChannelSecrets', () => {
  it('names every secret variable a channel reads that is not set, and only those', () => {
    expect(
      missingChannelSecrets(channels, { SLACK_URL: 'https://hooks.slack.com/x', HOOK_AUTH: '' }),
    ).toEqual([
      { channel: 'hook', variable: 'HOOK_SECRET' },
      { channel: 'hook', variable: 'HOOK_AUTH' },
      { channel: 'mail', variable: 'SMTP_PASSWORD' },
      { channel: 'pd', variable: 'PD_KEY' },
    ]);
  });
});
