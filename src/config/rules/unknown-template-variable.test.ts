import { describe, expect, it } from 'vitest';
import { validateConfigText } from '../validate.js';

const config = (templates: string) => `name: shop
services:
  api: { kind: web, urls: { production: https://api.example.com } }
channels:
  deploys: { type: webhook, url: https://hooks.example.com/x }
announcements:
  channels: [deploys]
  templates:
${templates}`;

const found = (templates: string) =>
  validateConfigText(config(templates), 'opsbook.yaml').diagnostics.filter(
    (d) => d.code === 'config/unknown-template-variable',
  );

describe('config/unknown-template-variable', () => {
  it('refuses an unknown variable with its location, a did-you-mean and the known variables', () => {
    const [d, ...rest] = found('    start: "Deploying {{brnch}} at {{commit}}"\n');
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      severity: 'error',
      message: 'unknown template variable {{brnch}} in the start announcement',
      location: { file: 'opsbook.yaml', line: 9, path: 'announcements.templates.start' },
    });
    expect(d?.hint).toMatch(/^did you mean \{\{branch\}\}\? known variables: \{\{stack\}\}, /);
    expect(d?.hint).toContain('{{health.<service>}}');
  });

  it("checks health.<service> against the stack's services", () => {
    expect(found('    success: "API {{health.api}}"\n')).toEqual([]);
    const [d] = found('    success: "API {{health.apii}}"\n');
    expect(d?.hint).toMatch(/^did you mean \{\{health\.api\}\}\?/);
  });

  it('refuses the single-brace form of a known variable, which would be sent as written', () => {
    const [d] = found('    start: "Deploying {branch}"\n');
    expect(d).toMatchObject({ severity: 'error', hint: 'write {{branch}}' });
  });

  it('accepts spaces inside the braces and literal braces around other text', () => {
    expect(found('    start: "{{ branch }} {not a variable} {}"\n')).toEqual([]);
  });
});
