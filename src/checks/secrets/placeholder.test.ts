import { describe, expect, it } from 'vitest';
import { createFaker } from '../../../test/support/checks/secrets/fake-keys.js';
import { isPlaceholder, isReadablePhrase } from './placeholder.js';

describe('isPlaceholder', () => {
  it.each([
    'sk-...',
    '<random string>',
    'your-key-here',
    'YOUR_API_KEY',
    'changeme',
    'xxx',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal placeholder under test
    '${VAR}',
    '{{ secret }}',
    'process.env.X',
    'somepassword',
    'password123',
  ])('recognises %s', (value) => expect(isPlaceholder(value)).toBe(true));

  it('lets generated keys through', () => {
    const f = createFaker(5);
    const flagged = Array.from({ length: 2000 }, (_, i) => f.b62(20 + (i % 40))).filter(isPlaceholder);
    expect(flagged).toEqual([]);
  });
});

describe('isReadablePhrase', () => {
  it.each(['s3cret-signing-key', 'tok_ClientTestSecret42', 'wrong-pass-123', 'correct-horse-battery-staple'])(
    'reads %s as typed words',
    (value) => expect(isReadablePhrase(value)).toBe(true),
  );

  it('never reads random keys as words', () => {
    const f = createFaker(6);
    const samples = Array.from({ length: 20_000 }, (_, i) =>
      i % 2 ? f.b62(16 + (i % 30)) : f.urlsafe(16 + (i % 30)),
    );
    expect(samples.filter(isReadablePhrase)).toEqual([]);
  });
});
