/** The HTTP app: the public status page, the JSON API, Prometheus metrics, one error handler. */
import { Hono } from 'hono';
import { addAckRoutes } from './ack-page.js';
import { createApi } from './api.js';
import type { ServerContext } from './context.js';
import { errorResponse } from './errors.js';
import { EXPOSITION_CONTENT_TYPE } from './exposition.js';
import { renderAtom } from './feed.js';
import { renderMetrics } from './metrics.js';
import { scrubText } from './public-data.js';
import { shareRecent } from './shared-rendering.js';
import { renderStatusPage } from './status-html.js';
import { readStatus } from './status-model.js';

/** The page needs nothing but its inline styles: no scripts, frames, forms or remote resources. */
const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export interface CreateAppOptions {
  /** Where unexpected errors are reported (already redacted). */
  log?: (message: string) => void;
  /** More routes under a path, e.g. the heartbeat pings at /ping. */
  mount?: Record<string, Hono>;
}

export function createApp(ctx: ServerContext, options: CreateAppOptions = {}): Hono {
  const app = new Hono();
  app.onError(errorResponse(ctx, options.log ?? (() => {})));
  app.notFound((c) =>
    c.json(
      {
        error: {
          code: 'not-found',
          // Scrubbed: a mistyped ping URL carries its heartbeat's token.
          message: `nothing at ${scrubText(ctx, c.req.path)}; try /status, /api/v1/status or /metrics`,
        },
      },
      404,
    ),
  );
  app.use(async (c, next) => {
    await next();
    c.header('x-content-type-options', 'nosniff');
    c.header('referrer-policy', 'no-referrer');
  });

  const share = <T>(render: () => Promise<T>) =>
    ctx.shareRenderingsMs ? shareRecent(render, ctx.shareRenderingsMs) : render;
  const statusPage = share(async () => renderStatusPage(await readStatus(ctx, { history: true })));
  const metrics = share(() => renderMetrics(ctx));

  app.get('/', (c) => c.redirect('/status'));
  app.get('/status', async (c) => {
    const html = await statusPage();
    c.header('content-security-policy', PAGE_CSP);
    c.header('cache-control', 'no-cache');
    return c.html(html);
  });
  app.get('/status/feed.atom', async (c) => {
    const status = await readStatus(ctx, { history: true });
    const base = (ctx.publicUrl ?? new URL(c.req.url).origin).replace(/\/+$/, '');
    c.header('content-type', 'application/atom+xml; charset=utf-8');
    c.header('cache-control', 'no-cache');
    return c.body(
      renderAtom(status.title, base, [...status.incidents, ...(status.history ?? [])], status.updatedAt),
    );
  });
  addAckRoutes(app, ctx);
  app.route('/api/v1', createApi(ctx));
  for (const [path, sub] of Object.entries(options.mount ?? {})) app.route(path, sub);
  app.get('/metrics', async (c) => {
    c.header('content-type', EXPOSITION_CONTENT_TYPE);
    c.header('cache-control', 'no-store');
    return c.body(await metrics());
  });
  return app;
}
