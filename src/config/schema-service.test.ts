import { describe, expect, it } from 'vitest';
import { validateConfigText } from './validate.js';

const withHealth = (endpoint: string) => `name: shop
services:
  api:
    kind: web
    urls: { production: "http://127.0.0.1:8080" }
    health:
      - ${endpoint}
`;

const errors = (endpoint: string) =>
  validateConfigText(withHealth(endpoint), 'opsbook.yaml').diagnostics.filter((d) => d.severity === 'error');

describe('health endpoint checks that could never pass', () => {
  it('refuses body conditions on a HEAD request, which gets no body', () => {
    expect(
      errors('{ type: liveness, path: /ok, method: HEAD, expect: { body: [{ path: status, equals: ok }] } }'),
    ).toMatchObject([{ message: expect.stringMatching(/HEAD.*no body/), location: { line: 7 } }]);
    expect(errors('{ type: liveness, path: /ok, method: HEAD, expect: { contains: ok } }')).toHaveLength(1);
    expect(errors('{ type: liveness, path: /ok, method: HEAD }')).toEqual([]);
  });

  it('refuses an expected status outside 100-599 and an empty list of statuses', () => {
    expect(errors('{ type: liveness, path: /ok, expect: { status: 999 } }')).toHaveLength(1);
    expect(errors('{ type: liveness, path: /ok, expect: { status: [] } }')).toHaveLength(1);
    expect(errors('{ type: liveness, path: /ok, expect: { status: [200, 204] } }')).toEqual([]);
  });

  it('refuses a URL the HTTP probe cannot request', () => {
    expect(errors('{ type: liveness, url: "ftp://127.0.0.1/ok" }')).toMatchObject([
      { message: expect.stringContaining('http') },
    ]);
    expect(errors('{ type: liveness, url: "https://status.example.com/ok" }')).toEqual([]);
  });
});
