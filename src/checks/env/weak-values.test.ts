import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { findPlaceholder, findWeakness } from './weak-values.js';

/** Generated secrets in the shapes people paste: base64, base64url, hex, and provider-style prefixes. */
const generated = Array.from({ length: 200 }, (_, i) => {
  const bytes = randomBytes(24 + (i % 24));
  return [
    bytes.toString('base64'),
    bytes.toString('base64url'),
    bytes.toString('hex'),
    `sk_live_${bytes.toString('base64url')}`,
  ][i % 4]!;
});

describe('findPlaceholder', () => {
  it.each([
    'changeme',
    'CHANGE_ME',
    'your-key-here',
    'your_api_key_here',
    'xxx',
    'https://xxx.supabase.co',
    'sk_live_xxxxxxxxxxxx',
    '<random string>',
    '<64+ char random string>',
    'TODO',
    'todo: ask ops',
    'sk-...',
    'sk-ant-…',
    'https://api.example.com',
    'AKIAIOSFODNN7EXAMPLE',
    'placeholder',
  ])('flags %s', (value) => {
    expect(findPlaceholder(value)).toBeDefined();
  });

  it.each([
    'https://api.kamiyo.ai',
    'postgres://app:Pg7Wq2Zx9Vb4@db.kamiyo.ai/app', // gitleaks:allow (a fake secret for this test)
    'INFO',
    'production',
    'boxxy',
    'toddler',
  ])('accepts %s', (value) => {
    expect(findPlaceholder(value)).toBeUndefined();
  });

  it('accepts generated secrets', () => {
    expect(generated.filter((s) => findPlaceholder(s))).toEqual([]);
  });
});

describe('findWeakness', () => {
  const check = (value: string, extraWords: string[] = []) =>
    findWeakness(value, { checkLength: true, extraWords });

  it.each([
    ['aaaaaaaaaaaaaaaaaaaaaaaa', /one character/],
    ['abcdefghijklmnopqrstuvwxyz', /consecutive/],
    ['abc123def456ghi789jkl012', /consecutive/],
    ['qwertyuiopasdfghjkl', /consecutive/],
    ['password123456789!', /dictionary/],
    ['P@ssw0rd-Sup3r-S3cret', /dictionary/],
    ['my-super-secret-jwt-key', /dictionary/],
    ['32-character-encryption-key-prod', /dictionary/],
    ['kamiyo-2024-kamiyo', /dictionary/],
    ['Zk4$rT9!', /8 characters/],
    ['kq7kq7kq7kq7kq7kq7', /low entropy/],
  ])('calls %s weak', (value, reason) => {
    expect(check(value, ['kamiyo'])).toMatch(reason);
  });

  it('leaves length to the contract when it sets minLength', () => {
    expect(findWeakness('Zk4$rT9!', { checkLength: false })).toBeUndefined();
  });

  it('accepts generated secrets', () => {
    expect(generated.filter((s) => check(s, ['kamiyo', 'production']))).toEqual([]);
  });
});
