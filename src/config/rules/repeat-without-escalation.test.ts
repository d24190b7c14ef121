import { describe, expect, it } from 'vitest';
import { validateConfigText } from '../validate.js';

const found = (incidents: string) =>
  validateConfigText(
    `name: s\nservices:\n  api: { kind: web }\nincidents:\n  contacts: { ana: { name: Ana } }\n${incidents}`,
    'opsbook.yaml',
  ).diagnostics.filter((d) => d.code === 'config/repeat-without-escalation');

describe('config/repeat-without-escalation', () => {
  it('warns about repeat when there is no escalation step to repeat, at repeat', () => {
    expect(found('  repeat: { times: 2, after: 30m }\n')).toMatchObject([
      { severity: 'warning', location: { line: 6 } },
    ]);
  });

  it('says nothing when steps exist, or repeat is not set', () => {
    expect(
      found(
        '  repeat: { times: 2, after: 30m }\n  escalation:\n    - { level: 1, after: 0m, notify: [ana] }\n',
      ),
    ).toEqual([]);
    expect(found('  escalation:\n    - { level: 1, after: 0m, notify: [ana] }\n')).toEqual([]);
  });
});
