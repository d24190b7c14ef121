import { describe, expect, it } from 'vitest';
import { validateConfigText } from '../validate.js';

const found = (severities: string) =>
  validateConfigText(
    `name: s\nservices:\n  api: { kind: web }\nchannels: { chat: { type: console } }\nincidents:\n  severities:\n${severities}`,
    'opsbook.yaml',
  ).diagnostics.filter((d) => d.code === 'config/unheard-target');

describe('config/unheard-target', () => {
  it('warns about a response target whose miss goes to no channel, at the target', () => {
    const [d, ...rest] = found('    P2: { name: Major, respondWithin: 1h, resolveWithin: 1d }\n');
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      severity: 'warning',
      message:
        "severity P2: a missed respondWithin or resolveWithin target is told to nobody, as is nobody being on call: the severity lists no channels, so it is only written on the incident's timeline",
      hint: 'give the severity channels, e.g. channels: [chat]',
      location: { line: 7 },
    });
  });

  it('says nothing of a severity with channels, without a target, or with an untracked one', () => {
    expect(
      found(
        '    P1: { name: Critical, respondWithin: 15m, channels: [chat] }\n    P3: { name: Low }\n    P4: { name: Later, respondWithin: next-business-day }\n',
      ),
    ).toEqual([]);
  });
});
