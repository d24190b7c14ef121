/**
 * The page behind a notification's acknowledge link. GET only shows what the link would do (mail
 * scanners and previews follow links); the button POSTs, and that acknowledges, once.
 */
import type { Context, Hono } from 'hono';
import { acknowledgeByLink, checkAckLink } from '../incidents/index.js';
import type { ServerContext } from './context.js';
import { esc } from './html.js';

const ACK_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

function page(c: Context, status: 200 | 403 | 404, title: string, body: string) {
  c.header('content-security-policy', ACK_CSP);
  c.header('cache-control', 'no-store');
  return c.html(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}button{font:inherit;padding:.5rem 1rem}</style></head>
<body><h1>${esc(title)}</h1>${body}</body></html>`,
    status,
  );
}

export function addAckRoutes(app: Hono, ctx: ServerContext): void {
  const key = async () => (ctx.signingKey ? ctx.signingKey() : undefined);
  app.get('/incidents/:id/ack', async (c) => {
    const k = await key();
    const token = c.req.query('token') ?? '';
    if (!k) return page(c, 404, 'Not available', '<p>This server does not accept acknowledge links.</p>');
    const r = await checkAckLink(ctx, k, c.req.param('id'), token);
    if (!r.ok) return page(c, 403, 'Cannot acknowledge', `<p>${esc(r.reason)}.</p>`);
    return page(
      c,
      200,
      `Acknowledge incident #${r.number}?`,
      `<p>${esc(r.title)}</p><p>Acknowledging as <strong>${esc(r.by)}</strong> stops the escalation.</p>
<form method="post"><input type="hidden" name="token" value="${esc(token)}"><button type="submit">Acknowledge</button></form>`,
    );
  });
  app.post('/incidents/:id/ack', async (c) => {
    const k = await key();
    if (!k) return page(c, 404, 'Not available', '<p>This server does not accept acknowledge links.</p>');
    const form = await c.req.parseBody();
    const r = await acknowledgeByLink(ctx, k, c.req.param('id'), String(form.token ?? ''));
    if (!r.ok) return page(c, 403, 'Cannot acknowledge', `<p>${esc(r.reason)}.</p>`);
    return page(
      c,
      200,
      r.changed ? `Incident #${r.number} acknowledged` : `Incident #${r.number} was already acknowledged`,
      `<p>${esc(r.title)}</p><p>${r.changed ? `Acknowledged by ${esc(r.by)}; the escalation has stopped.` : 'Nothing changed.'}</p>`,
    );
  });
}
