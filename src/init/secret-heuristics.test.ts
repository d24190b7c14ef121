import { describe, expect, it } from 'vitest';
import { isPlaceholder, isSecretName, looksLikeSecret } from './secret-heuristics.js';

describe('isSecretName', () => {
  it.each([
    'STRIPE_SECRET_KEY',
    'OPENAI_API_KEY',
    'GITHUB_TOKEN',
    'DB_PASSWORD',
    'PGPASSWORD',
    'DATABASE_URL',
    'SUPABASE_DB_URL',
    'REDIS_URL',
    'MONGODB_URI',
    'SENTRY_DSN',
    'SLACK_WEBHOOK_URL',
    'NEXT_PUBLIC_CLIENT_SECRET',
  ])('%s is secret', (name) => expect(isSecretName(name)).toBe(true));

  it.each([
    'PORT',
    'NODE_ENV',
    'LOG_LEVEL',
    'API_URL',
    'NEXTAUTH_URL',
    'NEXT_PUBLIC_SUPABASE_ANON_KEY',
    'STRIPE_PUBLISHABLE_KEY',
    'CORS_ORIGINS',
  ])('%s is not secret', (name) => expect(isSecretName(name)).toBe(false));
});

describe('looksLikeSecret', () => {
  it.each([
    'sk_live_abcdefghijklmnop',
    'sk-proj-abcdefghijklmnopqrstuvwxyz',
    'whsec_abc123',
    'xoxb-1234-5678',
    're_AbCdEfGh12',
    'AKIAABCDEFGHIJKLMNOP',
    'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig',
    'postgres://app:hunter2@db.example.com:5432/app',
    'Zx8pQ2vL9mN4rT7wK1bY6cH3',
    '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  ])('%s looks like a secret', (value) => expect(looksLikeSecret(value)).toBe(true));

  it.each([
    'production',
    '3000',
    'https://api.example.com/v1',
    'postgres://localhost:5432/app',
    'info',
    'production-eu-west-1-cluster',
  ])('%s does not', (value) => expect(looksLikeSecret(value)).toBe(false));
});

describe('isPlaceholder', () => {
  it('recognises the usual placeholders and nothing else', () => {
    for (const v of ['<your-token>', 'your-api-key-here', 'changeme', 'xxx', '...', 'replace_me'])
      expect(isPlaceholder(v), v).toBe(true);
    for (const v of ['info', 'https://example.com', '8080', 'us-east-1'])
      expect(isPlaceholder(v), v).toBe(false);
  });
});
