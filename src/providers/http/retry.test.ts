import { describe, expect, it } from 'vitest';
import { readRateLimitWait } from './retry.js';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('readRateLimitWait', () => {
  it('reads Retry-After in seconds and as an HTTP date', () => {
    expect(readRateLimitWait(new Headers({ 'retry-after': '7' }), NOW)).toBe(7_000);
    const date = new Date(NOW + 30_000).toUTCString();
    expect(readRateLimitWait(new Headers({ 'retry-after': date }), NOW)).toBe(30_000);
  });

  it('reads reset headers as seconds to wait, or as an epoch in seconds or milliseconds', () => {
    expect(readRateLimitWait(new Headers({ 'ratelimit-reset': '12' }), NOW)).toBe(12_000);
    expect(readRateLimitWait(new Headers({ 'x-ratelimit-reset': String(NOW / 1000 + 20) }), NOW)).toBe(
      20_000,
    );
    expect(readRateLimitWait(new Headers({ 'x-ratelimit-reset': String(NOW + 5_000) }), NOW)).toBe(5_000);
  });

  it('prefers Retry-After, never goes negative, and says nothing when nothing is sent', () => {
    expect(readRateLimitWait(new Headers({ 'retry-after': '2', 'ratelimit-reset': '50' }), NOW)).toBe(2_000);
    expect(readRateLimitWait(new Headers({ 'x-ratelimit-reset': String(NOW / 1000 - 5) }), NOW)).toBe(0);
    expect(readRateLimitWait(new Headers(), NOW)).toBeUndefined();
  });
});
