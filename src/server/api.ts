/** The read-only JSON API under /api/v1: status, one service, SLOs, alerts with silences, public incidents, recent deploys. */
import { Hono } from 'hono';
import { listAlerts, listSilences } from '../alerts/index.js';
import { UserError } from '../errors.js';
import { readSloReport } from '../slo/index.js';
import { nowOf, type ServerContext } from './context.js';
import { readDeploys } from './deploys.js';
import { publicData } from './public-data.js';
import { readServiceDetail } from './service-detail.js';
import { readStatus } from './status-model.js';

const MAX_DEPLOYS = 100;

export function createApi(ctx: ServerContext): Hono {
  const api = new Hono();
  api.use(async (c, next) => {
    await next();
    c.header('cache-control', 'no-store');
  });
  const send = (data: unknown) => publicData(ctx, data);

  api.get('/status', async (c) => c.json(send(await readStatus(ctx))));
  api.get('/services/:name', async (c) => c.json(send(await readServiceDetail(ctx, c.req.param('name')))));
  api.get('/slo', async (c) =>
    c.json(
      send(
        await readSloReport({
          store: ctx.store,
          config: ctx.config,
          environment: ctx.environment,
          now: nowOf(ctx),
        }),
      ),
    ),
  );
  api.get('/alerts', async (c) => {
    const [alerts, silences] = await Promise.all([
      listAlerts({ store: ctx.store, config: ctx.config, environment: ctx.environment }),
      listSilences({ store: ctx.store, environment: ctx.environment }),
    ]);
    return c.json(send({ environment: ctx.environment, alerts, silences }));
  });
  api.get('/incidents', async (c) => {
    const status = await readStatus(ctx, { history: true });
    return c.json(
      send({ environment: ctx.environment, open: status.incidents, history: status.history ?? [] }),
    );
  });
  api.get('/deploys', async (c) => {
    const limit = parseLimit(c.req.query('limit'));
    return c.json(send({ environment: ctx.environment, deploys: await readDeploys(ctx, limit) }));
  });
  return api;
}

function parseLimit(text: string | undefined): number {
  if (text === undefined) return 20;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > MAX_DEPLOYS)
    throw new UserError(
      `limit must be a whole number from 1 to ${MAX_DEPLOYS}, not '${text}'`,
      'e.g. ?limit=20',
      'bad-request',
    );
  return n;
}
