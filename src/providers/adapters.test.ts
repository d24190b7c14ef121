/**
 * A provider type the config accepts always has an adapter, and validate refuses any other type with the list
 * of the ones that exist: a service can never pass validate and then fail at deploy for want of an adapter.
 */
import { describe, expect, it } from 'vitest';
import { validateConfigText } from '../config/validate.js';
import { PROVIDERS } from './registry.js';

const withProvider = (provider: string) =>
  `name: s\nservices:\n  api:\n    kind: web\n    urls: { production: https://api.example.com }\n    health: [{ type: liveness, path: /h }]\n    provider: ${provider}\n`;

function refusal(type: string) {
  const { diagnostics } = validateConfigText(withProvider(`{ type: ${type} }`), 'opsbook.yaml');
  return diagnostics.find((d) => d.severity === 'error');
}

describe('provider types and adapters', () => {
  it('refuses a provider type without an adapter, at its location, listing the ones that exist', () => {
    const d = refusal('aws');
    expect(d).toMatchObject({
      code: 'config/invalid-value',
      message: "unknown type 'aws' in services.api.provider",
      location: { file: 'opsbook.yaml', line: 7 },
    });
    const listed = /use one of: (.*)$/.exec(d!.hint ?? '')?.[1]?.split(', ');
    expect(listed).toEqual(expect.arrayContaining(Object.keys(PROVIDERS)));
  });

  it('has an adapter for every type the config accepts (none means opsbook does not deploy it)', () => {
    const accepted = /use one of: (.*)$/.exec(refusal('aws')!.hint ?? '')![1]!.split(', ');
    expect(accepted.length).toBeGreaterThan(5);
    for (const type of accepted)
      if (type !== 'none') expect(PROVIDERS[type as keyof typeof PROVIDERS], type).toBeTypeOf('function');
  });

  it('suggests the adapter a typo meant', () => {
    expect(refusal('herku')?.hint).toBe("did you mean 'heroku'?");
  });
});
