/**
 * A loopback Netlify API (/api/v1) for tests: a site, builds of the production branch head whose deploys move
 * enqueued → building → ready (published unless publishing is locked) or error, one step per poll; restore,
 * cancel, lock/unlock, the deploy log, the account env API, /user, and faults.
 */

import type { NetlifyDeploy, NetlifyEnvVar, NetlifySite } from '../../../src/providers/netlify/api.js';
import {
  createFakeClock,
  type FakePlatform,
  type FakeRequest,
  type FakeResponse,
  startFakePlatform,
} from '../fake-platform.js';

export interface FakeNetlifyOptions {
  token: string;
  siteId?: string;
}

interface DeployRecord extends NetlifyDeploy {
  plan: string[];
  fail?: string;
  holdUntil?: number;
  log: { ts: string; message: string }[];
}

export interface FakeNetlify extends FakePlatform {
  readonly site: NetlifySite;
  readonly deploys: DeployRecord[];
  readonly env: NetlifyEnvVar[];
  /** The commit the production branch points at: the next build builds it. */
  setHead(sha: string): void;
  failNextBuild(message: string): void;
  slowNextBuild(ms: number): void;
  published(): DeployRecord | undefined;
}

export async function startFakeNetlify(options: FakeNetlifyOptions): Promise<FakeNetlify> {
  const clock = createFakeClock();
  const iso = () => new Date(clock()).toISOString();
  const site: NetlifySite = {
    id: options.siteId ?? '3f0c8a52-5d1e-4e8f-9b6a-site00000001',
    name: 'shop-web',
    account_id: 'acct0001',
    ssl_url: 'https://shop-web.netlify.app',
    published_deploy: null,
  };
  const deploys: DeployRecord[] = [];
  const env: NetlifyEnvVar[] = [];
  let head = 'f'.repeat(40);
  let failNext: string | undefined;
  let slowNext: number | undefined;
  let locked = false;
  let n = 1;

  const view = (d: DeployRecord): NetlifyDeploy => {
    const { plan: _p, fail: _f, holdUntil: _h, log: _l, ...rest } = d;
    return { ...rest, locked: site.published_deploy?.id === d.id ? locked : false };
  };
  const siteView = () => {
    const published = deploys.find((d) => d.id === site.published_deploy?.id);
    return { ...site, published_deploy: published ? view(published) : null };
  };
  const publish = (d: DeployRecord) => {
    d.published_at = iso();
    site.published_deploy = view(d);
  };
  const advance = (d: DeployRecord) => {
    if ((d.holdUntil ?? 0) > Date.now()) return;
    const next = d.plan.shift();
    if (!next) return;
    d.state = next;
    d.updated_at = iso();
    d.log.push({ ts: iso(), message: `${next === 'building' ? 'Build started' : next}` });
    if (next === 'error') d.error_message = d.fail ?? 'Build failed';
    if (next === 'error' && d.fail) d.log.push({ ts: iso(), message: d.fail });
    if (next === 'ready') {
      d.log.push({ ts: iso(), message: 'Site is live ✨' });
      if (!locked) publish(d);
    }
  };

  const notFound = (): FakeResponse => ({ status: 404, body: { code: 404, message: 'Not Found' } });

  const route = (req: FakeRequest): FakeResponse => {
    const path = req.path.replace(/^\/api\/v1/, '');
    const body = req.body as Record<string, unknown> | undefined;
    if (path === '/user') return { status: 200, body: { id: 'user0001', email: 'ops@example.com' } };
    const s = /^\/sites\/([^/]+)(\/.*)?$/.exec(path);
    if (s) {
      if (s[1] !== site.id) return notFound();
      const rest = s[2] ?? '';
      if (rest === '' && req.method === 'GET') return { status: 200, body: siteView() };
      if (rest === '/deploys' && req.method === 'GET') {
        const per = Number(req.query.get('per_page') ?? 100);
        return { status: 200, body: deploys.slice(0, per).map(view) };
      }
      if (rest === '/builds' && req.method === 'POST') {
        const d: DeployRecord = {
          id: `6${String(n++).padStart(23, '0')}`,
          site_id: site.id,
          state: 'enqueued',
          commit_ref: head,
          branch: 'main',
          context: 'production',
          created_at: iso(),
          deploy_ssl_url: `https://${n}--shop-web.netlify.app`,
          plan: failNext ? ['building', 'error'] : ['building', 'ready'],
          log: [],
          ...(failNext ? { fail: failNext } : {}),
          ...(slowNext ? { holdUntil: Date.now() + slowNext } : {}),
        };
        failNext = slowNext = undefined;
        deploys.unshift(d);
        return {
          status: 200,
          body: { id: `b${d.id}`, deploy_id: d.id, sha: head, done: false, created_at: d.created_at },
        };
      }
      const restore = /^\/deploys\/([^/]+)\/restore$/.exec(rest);
      if (restore && req.method === 'POST') {
        const d = deploys.find((x) => x.id === restore[1]);
        if (d === undefined || d.state !== 'ready')
          return { status: 422, body: { code: 422, message: 'Deploy cannot be restored' } };
        publish(d);
        return { status: 200, body: view(d) };
      }
      return notFound();
    }
    const dep = /^\/deploys\/([^/]+)(\/(log|cancel|lock|unlock))?$/.exec(path);
    if (dep) {
      const d = deploys.find((x) => x.id === dep[1]);
      if (!d) return notFound();
      const action = dep[3];
      if (!action && req.method === 'GET') {
        advance(d);
        return { status: 200, body: view(d) };
      }
      if (action === 'log') return { status: 200, body: d.log };
      if (action === 'cancel') {
        if (d.state === 'ready' || d.state === 'error')
          return { status: 422, body: { code: 422, message: 'Deploy is done' } };
        d.plan = ['error'];
        d.fail = 'Canceled build';
        d.holdUntil = undefined;
        advance(d);
        return { status: 200, body: view(d) };
      }
      if (action === 'lock' || action === 'unlock') {
        if (site.published_deploy?.id !== d.id)
          return { status: 422, body: { code: 422, message: 'Only the published deploy can be locked' } };
        locked = action === 'lock';
        site.published_deploy = view(d);
        return { status: 200, body: view(d) };
      }
    }
    const acct = /^\/accounts\/([^/]+)\/env(\/([^/]+))?$/.exec(path);
    if (acct) {
      if (acct[1] !== site.account_id || req.query.get('site_id') !== site.id) return notFound();
      const key = acct[3] ? decodeURIComponent(acct[3]) : undefined;
      if (!key && req.method === 'GET') return { status: 200, body: env };
      if (!key && req.method === 'POST') {
        for (const v of (body as unknown as NetlifyEnvVar[]) ?? [])
          env.push({ key: v.key, values: v.values });
        return { status: 201, body };
      }
      const found = env.find((v) => v.key === key);
      if (found && req.method === 'PATCH') {
        const b = body as { context: string; value: string };
        found.values = [
          ...found.values.filter((x) => x.context !== b.context),
          { context: b.context, value: b.value },
        ];
        return { status: 200, body: found };
      }
    }
    return notFound();
  };

  const platform = await startFakePlatform({
    route,
    authorize: (req) =>
      req.headers.authorization === `Bearer ${options.token}`
        ? undefined
        : { status: 401, body: { code: 401, message: 'Access Denied' } },
    rateLimited: (seconds) => ({
      status: 429,
      body: { code: 429, message: 'Rate limit exceeded' },
      headers: { 'retry-after': String(seconds) },
    }),
  });

  return {
    ...platform,
    get url() {
      return `${platform.url}/api/v1`;
    },
    site,
    deploys,
    env,
    setHead: (sha) => (head = sha),
    failNextBuild: (message) => (failNext = message),
    slowNextBuild: (ms) => (slowNext = ms),
    published: () => deploys.find((d) => d.id === site.published_deploy?.id),
  };
}
