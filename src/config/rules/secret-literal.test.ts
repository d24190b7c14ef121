import { describe, expect, it } from 'vitest';
import { validateConfigText } from '../validate.js';

const found = (headers: string) =>
  validateConfigText(
    `name: s\nservices:\n  api: { kind: web }\nchannels:\n  ops-hook:\n    type: webhook\n    url: https://hooks.example.test/in\n    headers: ${headers}\n`,
    'opsbook.yaml',
  ).diagnostics.filter((d) => d.code === 'config/secret-literal');

describe('config/secret-literal in webhook headers', () => {
  it('warns about a credential header written in the config, with the env form to use', () => {
    const [d, ...rest] = found('{ Authorization: "Bearer abc123" }');
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      severity: 'warning',
      message:
        'channels.ops-hook.headers.Authorization is a credential written in opsbook.yaml: anyone who reads the config has it, and it is not masked in output',
      hint: 'give it as Authorization: { env: OPS_HOOK_AUTHORIZATION } and export that variable where opsbook runs',
      location: { line: 8 },
    });
  });

  it('says nothing of a plain header or a credential read from the environment', () => {
    expect(found('{ X-Team: payments, Authorization: { env: HOOK_AUTH } }')).toEqual([]);
  });
});

describe('config/secret-literal of a Slack webhook', () => {
  it('warns about an incoming webhook URL written in the config', () => {
    const found = validateConfigText(
      'name: s\nservices:\n  api: { kind: web }\nchannels:\n  team: { type: slack, webhook: "https://hooks.slack.com/services/T0/B0/abc" }\n',
      'opsbook.yaml',
    ).diagnostics.filter((d) => d.code === 'config/secret-literal');
    expect(found).toMatchObject([
      {
        severity: 'warning',
        message:
          'channels.team.webhook is a Slack incoming webhook URL written in opsbook.yaml: its path is the token, so anyone who reads the config can post as it',
        hint: 'give it as webhook: { env: TEAM_WEBHOOK } and export that variable where opsbook runs',
      },
    ]);
  });
});
