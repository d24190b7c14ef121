/**
 * A loopback Fly.io for tests, on one port: the Machines API (/v1/apps/{app}/machines, update = deploy,
 * secrets), the GraphQL release history flyctl uses (releases, createRelease, updateRelease) and the log API
 * (/api/v1/apps/{app}/logs with next_token). An updated Machine starts at once; its checks pass, stay
 * `warning` for a while (slow image) or go `critical` (bad image).
 */
import type { FlyMachine, FlyRelease } from '../../../src/providers/fly/api.js';
import {
  createFakeClock,
  type FakePlatform,
  type FakeRequest,
  type FakeResponse,
  startFakePlatform,
} from '../fake-platform.js';

export interface FakeFlyOptions {
  token: string;
  app?: string;
  machines?: number;
  /** The image the Machines run at start. */
  image?: string;
}

export interface FakeFly extends FakePlatform {
  readonly app: string;
  readonly machines: FlyMachine[];
  readonly releases: FlyRelease[];
  readonly secrets: Set<string>;
  /** Images whose Machines fail their checks, with the check output. */
  failImage(tag: string, output: string): void;
  /** Machines on an image with this tag keep `warning` checks for this many real ms. */
  slowImage(tag: string, ms: number): void;
  /** A runtime log line from the first Machine. */
  log(message: string, level?: string): void;
}

export async function startFakeFly(options: FakeFlyOptions): Promise<FakeFly> {
  const clock = createFakeClock();
  const iso = () => new Date(clock()).toISOString();
  const app = options.app ?? 'shop-api';
  const image = options.image ?? `registry.fly.io/${app}:initial`;
  const machines: FlyMachine[] = Array.from({ length: options.machines ?? 2 }, (_, i) => ({
    id: `m${String(i + 1).padStart(3, '0')}e784a0d1d8`,
    state: 'started',
    region: 'ams',
    instance_id: `01J${i}AAAA`,
    config: { image, env: { PORT: '8080', PRIMARY_REGION: 'ams' }, metadata: { fly_platform_version: 'v2' } },
    checks: [{ name: 'servicecheck-00-http-8080', status: 'passing', output: 'OK' }],
  }));
  const releases: FlyRelease[] = [];
  const secrets = new Set<string>(['DATABASE_URL']);
  const failing = new Map<string, string>();
  const slow = new Map<string, number>();
  const holdUntil = new Map<string, number>();
  const logs: { id: string; timestamp: string; level: string; message: string; instance: string }[] = [];
  let instance = 100;

  const log = (message: string, level = 'info', machine = machines[0]?.id ?? '') =>
    logs.push({ id: `log${logs.length + 1}`, timestamp: iso(), level, message, instance: machine });
  const tagOf = (img: string) => img.slice(img.lastIndexOf(':') + 1);

  const refresh = (m: FlyMachine) => {
    const tag = tagOf(m.config.image);
    const status = failing.has(tag)
      ? 'critical'
      : (holdUntil.get(m.id) ?? 0) > Date.now()
        ? 'warning'
        : 'passing';
    m.checks = [{ name: 'servicecheck-00-http-8080', status, output: failing.get(tag) ?? 'OK' }];
  };

  const graphql = (req: FakeRequest): FakeResponse => {
    const body = req.body as { variables?: Record<string, unknown> };
    const vars = body.variables ?? {};
    if (req.operation === 'releases') {
      if (vars.appName !== app)
        return { status: 200, body: { data: null, errors: [{ message: 'Could not find App' }] } };
      const limit = Number(vars.limit ?? 25);
      return {
        status: 200,
        body: { data: { app: { releasesUnprocessed: { nodes: releases.slice(0, limit) } } } },
      };
    }
    const input = (vars.input ?? {}) as Record<string, string>;
    if (req.operation === 'createRelease') {
      const release: FlyRelease = {
        id: `rel_${String(releases.length + 1).padStart(4, '0')}`,
        version: releases.length + 1,
        status: 'running',
        reason: input.reason ?? 'deploy',
        description: `Deploy image ${input.image}`,
        imageRef: input.image ?? '',
        createdAt: iso(),
      };
      releases.unshift(release);
      return { status: 200, body: { data: { createRelease: { release } } } };
    }
    if (req.operation === 'updateRelease') {
      const release = releases.find((r) => r.id === input.releaseId);
      if (!release) return { status: 200, body: { data: null, errors: [{ message: 'release not found' }] } };
      release.status = input.status ?? release.status;
      return { status: 200, body: { data: { updateRelease: { release: { id: release.id } } } } };
    }
    return { status: 200, body: { data: null, errors: [{ message: `unknown operation ${req.operation}` }] } };
  };

  const route = (req: FakeRequest): FakeResponse => {
    if (req.path === '/graphql' && req.method === 'POST') return graphql(req);
    const logsPath = /^\/api\/v1\/apps\/([^/]+)\/logs$/.exec(req.path);
    if (logsPath) {
      if (logsPath[1] !== app) return { status: 404, body: { error: 'app not found' } };
      const from = Number(req.query.get('next_token') ?? 0);
      const data = logs.slice(from).map((l) => ({ id: l.id, attributes: { ...l, meta: {} } }));
      return { status: 200, body: { data, meta: { next_token: String(logs.length) } } };
    }
    const m = /^\/v1\/apps\/([^/]+)(\/.*)?$/.exec(req.path);
    if (!m || m[1] !== app) return { status: 404, body: { error: 'app not found' } };
    const rest = m[2] ?? '';
    if (rest === '' && req.method === 'GET')
      return { status: 200, body: { name: app, organization: { slug: 'personal' } } };
    if (rest === '/secrets' && req.method === 'GET') {
      return {
        status: 200,
        body: [...secrets].map((name) => ({ name, digest: 'd1g35t', created_at: iso() })),
      };
    }
    if (rest === '/machines' && req.method === 'GET') {
      for (const machine of machines) refresh(machine);
      return { status: 200, body: machines };
    }
    const one = /^\/machines\/([^/]+)$/.exec(rest);
    const machine = one && machines.find((x) => x.id === one[1]);
    if (one && !machine) return { status: 404, body: { error: 'machine not found' } };
    if (machine && req.method === 'GET') {
      refresh(machine);
      return { status: 200, body: machine };
    }
    if (machine && req.method === 'POST') {
      const body = req.body as { config?: FlyMachine['config']; current_version?: string };
      if (!body.config?.image) return { status: 400, body: { error: 'config.image is required' } };
      machine.config = body.config;
      machine.instance_id = `01J${instance++}`;
      machine.state = 'started';
      const tag = tagOf(body.config.image);
      const hold = slow.get(tag);
      if (hold) holdUntil.set(machine.id, Date.now() + hold);
      log(`Machine ${machine.id} started on ${body.config.image}`, 'info', machine.id);
      if (failing.has(tag)) log(`Error: ${failing.get(tag)}`, 'error', machine.id);
      refresh(machine);
      return { status: 200, body: machine };
    }
    return { status: 404, body: { error: `no route for ${req.method} ${req.path}` } };
  };

  const platform = await startFakePlatform({
    route,
    operationOf: (req) =>
      req.path === '/graphql' ? (req.body as { operationName?: string })?.operationName : undefined,
    authorize: (req) =>
      req.headers.authorization === `Bearer ${options.token}`
        ? undefined
        : { status: 401, body: { error: 'You must be authenticated to view this.' } },
    rateLimited: (seconds) => ({
      status: 429,
      body: { error: 'rate limited' },
      headers: { 'retry-after': String(seconds) },
    }),
  });

  return {
    ...platform,
    app,
    machines,
    releases,
    secrets,
    failImage: (tag, output) => failing.set(tag, output),
    slowImage: (tag, ms) => slow.set(tag, ms),
    log: (message, level) => log(message, level),
  };
}
