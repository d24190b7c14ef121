/**
 * `/ping/<token>`, `/ping/<token>/start` and `/ping/<token>/fail` (GET or POST, as healthchecks.io-style clients and
 * `curl` send them). Tokens come from the heartbeats' secret references; only their sha256 is held in memory and
 * compared, and nothing about a token is ever written or echoed back.
 */
import { createHash } from 'node:crypto';
import { getConnInfo } from '@hono/node-server/conninfo';
import { type Context, Hono } from 'hono';
import type { StackConfig } from '../config/index.js';
import type { Store } from '../store/index.js';
import { createRateLimiter } from './rate-limit.js';
import { type PingKind, recordPing } from './state.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export interface PingRoutesOptions {
  store: Store;
  config: StackConfig;
  environment: string;
  env: Record<string, string | undefined>;
  now?: () => number;
  /** Requests per client per minute (default 60). */
  limitPerMinute?: number;
}

export function createPingRoutes(options: PingRoutesOptions): Hono {
  const byHash = new Map<string, string>();
  for (const hb of options.config.heartbeats) {
    const token = options.env[hb.token.env];
    if (token) byHash.set(sha256(token), hb.id);
  }
  const now = options.now ?? Date.now;
  const limit = options.limitPerMinute ?? 60;
  const limiter = createRateLimiter(limit, 60_000);
  const app = new Hono();
  const ping = (kind: PingKind) => async (c: Context) => {
    let client = 'unknown';
    try {
      client = getConnInfo(c).remote.address ?? client;
    } catch {
      // app.request() in tests has no socket.
    }
    if (!limiter.allow(client, now()))
      return c.json(
        { error: { code: 'rate-limited', message: `too many pings: at most ${limit} a minute` } },
        429,
      );
    const id = byHash.get(sha256(c.req.param('token') ?? ''));
    if (!id) return c.json({ error: { code: 'not-found', message: 'no heartbeat has this token' } }, 404);
    await recordPing(options.store, options.environment, id, kind, new Date(now()));
    return c.json({ ok: true, heartbeat: id, ping: kind });
  };
  for (const [path, kind] of [
    ['/:token', 'ok'],
    ['/:token/start', 'start'],
    ['/:token/fail', 'fail'],
  ] as const) {
    // With a trailing slash too: `curl https://host/ping/TOKEN/` in a crontab got a 404, and a curl without -f
    // ignores that, so the job ran and its heartbeat went down.
    for (const p of [path, `${path}/`]) {
      app.get(p, ping(kind));
      app.post(p, ping(kind));
    }
  }
  return app;
}
