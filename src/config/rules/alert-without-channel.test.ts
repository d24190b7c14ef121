import { describe, expect, it } from 'vitest';
import { validateConfigText } from '../validate.js';

const stack = (rest: string) =>
  `name: s\nservices:\n  api: { kind: web, urls: { production: https://api.example.com } }\n${rest}`;
const found = (rest: string, code = 'config/alert-without-channel') =>
  validateConfigText(stack(rest), 'opsbook.yaml').diagnostics.filter((d) => d.code === code);

describe('config/alert-without-channel', () => {
  it('warns about an alert that reaches nobody, with the fix', () => {
    const [d, ...rest] = found('alerts:\n  - { id: api-down, service: api, when: down }\n');
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      severity: 'warning',
      message: "alert 'api-down' notifies nobody: it names no channel, and the stack declares no channel",
      location: { file: 'opsbook.yaml', line: 5 },
    });
    expect(d!.hint).toMatch(/channels: \{ ops: .*add channels: \[ops\] to the alert/);
  });

  it('warns when the severity it inherits from lists no channel and nothing escalates it', () => {
    const [d] = found(
      'channels: { ops: { type: console } }\nalerts:\n  - { id: a, service: api, when: down, severity: P3 }\nincidents:\n  severities:\n    P3: { name: Low, channels: [] }\n',
    );
    expect(d!.message).toBe(
      "alert 'a' notifies nobody: it names no channel, severity P3 lists none and has no escalation",
    );
    expect(d!.hint).toBe('add channels: [ops] to the alert or to severity P3');
  });

  it.each([
    [
      'its own channels',
      'channels: { ops: { type: console } }\nalerts:\n  - { id: a, when: down, channels: [ops] }\n',
    ],
    [
      'every declared channel (the default)',
      'channels: { ops: { type: console } }\nalerts:\n  - { id: a, when: down }\n',
    ],
    [
      "its severity's channels",
      'channels: { ops: { type: console } }\nalerts:\n  - { id: a, when: down, severity: P1 }\nincidents:\n  severities:\n    P1: { name: Critical, channels: [ops] }\n',
    ],
    [
      "its severity's escalation",
      'alerts:\n  - { id: a, when: down, severity: P1 }\nincidents:\n  severities:\n    P1: { name: Critical }\n  contacts:\n    ana: { name: Ana, email: ana@example.com }\n  escalation:\n    - { level: 1, after: 0m, notify: [ana] }\n',
    ],
  ])('is quiet for an alert that reaches someone through %s', (_, rest) => {
    expect(found(rest)).toEqual([]);
  });
});

describe('severities and respondWithin', () => {
  it('allows a severity without respondWithin: it has no response target, and validate says nothing of it', () => {
    const { diagnostics, config } = validateConfigText(
      stack('incidents:\n  severities:\n    P2: { name: Degraded }\n'),
      'opsbook.yaml',
    );
    expect(diagnostics).toEqual([]);
    expect(config?.incidents?.severities.P2?.respondWithin).toBeUndefined();
  });

  it('warns that next-business-day is accepted but never tracked, pointing at it', () => {
    const [d, ...rest] = found(
      'incidents:\n  severities:\n    P3: { name: Low, respondWithin: next-business-day }\n',
      'config/untracked-response-target',
    );
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      severity: 'warning',
      location: { file: 'opsbook.yaml', line: 6 },
    });
    expect(d!.message).toMatch(/P3: respondWithin next-business-day is accepted but not tracked/);
    expect(d!.hint).toMatch(/a duration such as 24h/);
  });
});
