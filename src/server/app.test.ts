// The app's own answers: a path nobody serves is named in the 404, but never a secret in it.
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../../test/support/server/fixture.js';
import { createApp } from './app.js';

let fx: Fixture;
beforeAll(async () => {
  fx = await createFixture();
});
afterAll(() => fx.close());

describe('createApp', () => {
  it('does not echo a registered secret (a heartbeat ping token) in the path of a 404', async () => {
    const token = 'hb-token-5d2e8a71c4'; // gitleaks:allow (a fake token for this test)
    const ctx = fx.ctx();
    ctx.redactor.add([token]);
    const app = createApp(ctx, { mount: { '/ping': new Hono() } });
    const res = await app.request(`/ping/${token}/typo`);
    expect(res.status).toBe(404);
    const text = await res.text();
    expect(text).toContain('nothing at /ping/');
    expect(text).not.toContain(token);
  });
});
