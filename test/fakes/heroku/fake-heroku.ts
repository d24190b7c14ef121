/**
 * A loopback Heroku Platform API for tests: builds from a source blob (pending → succeeded | failed, one step
 * per poll), the release each build makes (pending while its release phase runs, then current), rollback by
 * re-releasing (`POST /releases {release}`), config vars (each change is a release), dynos, log sessions,
 * `Range: ...; order=desc, max=N` on lists, output stream URLs that 404 until there is output, and faults.
 */
import type { HerokuBuild, HerokuDyno, HerokuRelease } from '../../../src/providers/heroku/api.js';
import {
  createFakeClock,
  type FakePlatform,
  type FakeRequest,
  type FakeResponse,
  startFakePlatform,
} from '../fake-platform.js';

export interface FakeHerokuOptions {
  token: string;
  app?: string;
  /** Whether the Procfile has a `release:` process (migrations), so releases start pending. */
  releasePhase?: boolean;
}

interface BuildRecord extends HerokuBuild {
  fail?: string;
  failRelease?: string;
  holdUntil?: number;
  output: string[];
  polled: number;
}
interface ReleaseRecord extends HerokuRelease {
  fail?: string;
  output: string[];
  slug: string;
}

export interface FakeHeroku extends FakePlatform {
  readonly app: string;
  readonly builds: BuildRecord[];
  readonly releases: ReleaseRecord[];
  readonly configVars: Record<string, string>;
  readonly dynos: HerokuDyno[];
  /** The commit of the current release's slug. */
  current(): string | undefined;
  failNextBuild(line: string): void;
  failNextRelease(line: string): void;
  slowNextBuild(ms: number): void;
  /** A `git push heroku`: a build of this commit starts on its own. */
  push(commit: string): BuildRecord;
  /** Runtime log lines the log session returns. */
  log(line: string): void;
}

export async function startFakeHeroku(options: FakeHerokuOptions): Promise<FakeHeroku> {
  const clock = createFakeClock();
  const iso = () => new Date(clock()).toISOString();
  const app = options.app ?? 'shop-api';
  const builds: BuildRecord[] = [];
  const releases: ReleaseRecord[] = [];
  const configVars: Record<string, string> = { DATABASE_URL: 'postgres://u:p@ec2.example:5432/d' };
  const slugCommits = new Map<string, string>();
  const dynos: HerokuDyno[] = [{ name: 'web.1', type: 'web', state: 'up' }];
  const runtime: string[] = [];
  let failBuild: string | undefined;
  let failRelease: string | undefined;
  let slow: number | undefined;
  let url = '';
  let n = 1;
  const uuid = (kind: string) => `${kind}0000-0000-4000-8000-${String(n++).padStart(12, '0')}`;

  const makeCurrent = (release: ReleaseRecord) => {
    for (const r of releases) r.current = false;
    release.current = true;
    for (const d of dynos) d.release = { id: release.id, version: release.version };
  };
  const createRelease = (slug: string, description: string, phase: boolean, fail?: string) => {
    const release: ReleaseRecord = {
      id: uuid('e1e0'),
      version: releases.length + 1,
      status: phase ? 'pending' : 'succeeded',
      current: false,
      description,
      created_at: iso(),
      slug,
      output: [],
      ...(fail ? { fail } : {}),
    };
    release.output_stream_url = `${url}/streams/releases/${release.id}`;
    releases.unshift(release);
    if (!phase) makeCurrent(release);
    return release;
  };
  const advanceRelease = (release: ReleaseRecord) => {
    if (release.status !== 'pending') return;
    release.output.push(
      'Running release command...',
      ...(release.fail ? [release.fail] : ['Migrations are up to date']),
    );
    release.status = release.fail ? 'failed' : 'succeeded';
    if (!release.fail) makeCurrent(release);
    release.updated_at = iso();
  };
  const advanceBuild = (build: BuildRecord) => {
    build.polled++;
    if (build.status !== 'pending' || (build.holdUntil ?? 0) > Date.now() || build.polled < 2) return;
    build.output.push('-----> Building on the Heroku-24 stack', '-----> Installing dependencies');
    if (build.fail) {
      build.output.push(build.fail, ' !     Push rejected, failed to compile Node.js app.');
      build.status = 'failed';
      return;
    }
    build.output.push('-----> Launching...');
    build.status = 'succeeded';
    const slug = uuid('5109');
    slugCommits.set(slug, build.source_blob.version ?? '');
    const release = createRelease(
      slug,
      `Deploy ${(build.source_blob.version ?? '').slice(0, 8)}`,
      options.releasePhase ?? true,
      build.failRelease,
    );
    build.release = { id: release.id };
  };
  const startBuild = (version: string, sourceUrl: string) => {
    const build: BuildRecord = {
      id: uuid('b01d'),
      status: 'pending',
      source_blob: { url: sourceUrl, version },
      release: null,
      created_at: iso(),
      output: [],
      polled: 0,
      ...(failBuild ? { fail: failBuild } : {}),
      ...(failRelease ? { failRelease } : {}),
      ...(slow ? { holdUntil: Date.now() + slow } : {}),
    };
    build.output_stream_url = `${url}/streams/builds/${build.id}`;
    failBuild = failRelease = slow = undefined;
    builds.unshift(build);
    return build;
  };

  const ranged = <T>(items: T[], req: FakeRequest): T[] => {
    const range = String(req.headers.range ?? '');
    const max = Number(/max=(\d+)/.exec(range)?.[1] ?? 200);
    const ordered = /order=desc/.test(range) ? items : [...items].reverse();
    return ordered.slice(0, max);
  };
  const view = <T extends object>(record: T) =>
    Object.fromEntries(
      Object.entries(record).filter(
        ([k]) => !['fail', 'failRelease', 'holdUntil', 'output', 'polled', 'slug'].includes(k),
      ),
    );
  const notFound = (what: string): FakeResponse => ({
    status: 404,
    body: { id: 'not_found', message: `Couldn't find that ${what}.` },
  });

  const route = (req: FakeRequest): FakeResponse => {
    const stream = /^\/streams\/(builds|releases)\/([^/]+)$/.exec(req.path);
    if (stream) {
      const record = (stream[1] === 'builds' ? builds : releases).find((r) => r.id === stream[2]);
      if (!record?.output.length)
        return { status: 404, text: 'Not Found', headers: { 'content-type': 'text/plain' } };
      return {
        status: 200,
        text: `${record.output.join('\n')}\n`,
        headers: { 'content-type': 'text/plain' },
      };
    }
    if (req.path === '/account' && req.method === 'GET')
      return { status: 200, body: { id: uuid('acc0'), email: 'ops@example.com' } };
    if (req.path.startsWith('/logs/'))
      return { status: 200, text: runtime.join('\n'), headers: { 'content-type': 'text/plain' } };
    const m = /^\/apps\/([^/]+)(\/.*)?$/.exec(req.path);
    if (!m || m[1] !== app) return notFound('app');
    const rest = m[2] ?? '';
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (rest === '' && req.method === 'GET') return { status: 200, body: { name: app, id: uuid('a990') } };
    if (rest === '/builds' && req.method === 'GET')
      return { status: 200, body: ranged(builds, req).map(view) };
    if (rest === '/builds' && req.method === 'POST') {
      const blob = (body.source_blob ?? {}) as { url?: string; version?: string };
      if (!blob.url)
        return { status: 422, body: { id: 'invalid_params', message: 'source_blob.url is required' } };
      return { status: 201, body: view(startBuild(blob.version ?? '', blob.url)) };
    }
    const build = /^\/builds\/([^/]+)$/.exec(rest);
    if (build && req.method === 'GET') {
      const record = builds.find((b) => b.id === build[1]);
      if (!record) return notFound('build');
      advanceBuild(record);
      return { status: 200, body: view(record) };
    }
    if (rest === '/releases' && req.method === 'GET')
      return { status: 200, body: ranged(releases, req).map(view) };
    if (rest === '/releases' && req.method === 'POST') {
      const target = releases.find(
        (r) => r.id === body.release || String(r.version) === String(body.release),
      );
      if (!target) return notFound('release');
      return {
        status: 201,
        body: view(
          createRelease(target.slug, `Rollback to v${target.version}`, options.releasePhase ?? true),
        ),
      };
    }
    const release = /^\/releases\/([^/]+)$/.exec(rest);
    if (release && req.method === 'GET') {
      const record = releases.find((r) => r.id === release[1] || String(r.version) === release[1]);
      if (!record) return notFound('release');
      advanceRelease(record);
      return { status: 200, body: view(record) };
    }
    if (rest === '/config-vars' && req.method === 'GET') return { status: 200, body: configVars };
    if (rest === '/config-vars' && req.method === 'PATCH') {
      for (const [key, value] of Object.entries(body)) {
        if (value === null) delete configVars[key];
        else configVars[key] = String(value);
      }
      const slug = releases.find((r) => r.current)?.slug ?? '';
      createRelease(slug, `Set ${Object.keys(body).join(', ')} config vars`, false);
      return { status: 200, body: configVars };
    }
    if (rest === '/dynos' && req.method === 'GET') return { status: 200, body: dynos };
    if (rest === '/log-sessions' && req.method === 'POST') {
      return {
        status: 201,
        body: { id: uuid('1095'), logplex_url: `${url}/logs/${app}`, created_at: iso() },
      };
    }
    return notFound(`route ${req.method} ${req.path}`);
  };

  const platform = await startFakePlatform({
    route,
    authorize: (req) =>
      req.path.startsWith('/streams/') ||
      req.path.startsWith('/logs/') ||
      req.headers.authorization === `Bearer ${options.token}`
        ? undefined
        : { status: 401, body: { id: 'unauthorized', message: 'Invalid credentials provided.' } },
    rateLimited: (seconds) => ({
      status: 429,
      body: { id: 'rate_limit', message: 'Your account reached the API rate limit' },
      headers: { 'retry-after': String(seconds), 'ratelimit-remaining': '0' },
    }),
  });
  url = platform.url;

  return {
    ...platform,
    app,
    builds,
    releases,
    configVars,
    dynos,
    current: () => slugCommits.get(releases.find((r) => r.current)?.slug ?? ''),
    failNextBuild: (line) => (failBuild = line),
    failNextRelease: (line) => (failRelease = line),
    slowNextBuild: (ms) => (slow = ms),
    push: (commit) => startBuild(commit, `https://github.com/org/repo/archive/${commit}.tar.gz`),
    log: (line) => runtime.push(line),
  };
}
