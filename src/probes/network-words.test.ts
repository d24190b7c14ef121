import { describe, expect, it } from 'vitest';
import { plainNetworkError, plainNetworkText } from './network-words.js';

describe('plain network words', () => {
  it('rewrites refused, unresolved and unreachable connections and keeps the rest', () => {
    expect(plainNetworkText('liveness: connect ECONNREFUSED 127.0.0.1:5432; HTTP 503')).toBe(
      'liveness: nothing listens at 127.0.0.1:5432 (connection refused); HTTP 503',
    );
    expect(plainNetworkText('getaddrinfo ENOTFOUND db.internal')).toBe(
      'db.internal does not resolve (no DNS record)',
    );
    expect(plainNetworkText('connect EHOSTUNREACH 10.0.0.9:443')).toBe(
      '10.0.0.9:443 cannot be reached (no route)',
    );
    expect(plainNetworkText('HTTP 500')).toBe('HTTP 500');
  });

  it("reads undici's 'fetch failed' down to its cause", () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED ::1:8080'), {
      code: 'ECONNREFUSED',
      address: '::1',
      port: 8080,
    });
    expect(plainNetworkError(new TypeError('fetch failed', { cause }))).toBe(
      'nothing listens at ::1:8080 (connection refused)',
    );
    expect(plainNetworkError(new TypeError('fetch failed', { cause: new Error('bad port') }))).toBe(
      'fetch failed: bad port',
    );
  });
});
