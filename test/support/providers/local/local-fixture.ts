// Helpers for the local provider's tests: a scratch stack directory, services built through the real config
// schema, contexts whose release environment is small and known, and a reader of what the proxy serves.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ResolvedService, resolveEnvironment } from '../../../../src/config/index.js';
import { stackSchema } from '../../../../src/config/schema.js';
import { createProviderContext } from '../../../../src/providers/context.js';
import type { Provider, ProviderContext } from '../../../../src/providers/types.js';

export const APP = fileURLToPath(new URL('./app.mjs', import.meta.url));

export function createStackDir(): { dir: string; pidDir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'opsbook-local-'));
  const pidDir = mkdtempSync(join(dir, 'pids-'));
  return { dir, pidDir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A web service running the test app, its readiness on /ready, through the real schema and resolver. */
export function webService(name: string, overrides: Record<string, unknown> = {}): ResolvedService {
  const config = stackSchema.parse({
    name: 'test',
    environments: { test: {} },
    services: {
      [name]: {
        kind: 'web',
        provider: { type: 'local', command: `"${process.execPath}" "${APP}"` },
        health: [{ type: 'readiness', path: '/ready', timeout: '2s' }],
        ...overrides,
      },
    },
  });
  return resolveEnvironment(config, 'test')[0]!;
}

export function localContext(stackDir: string, pidDir: string, signal?: AbortSignal): ProviderContext {
  return createProviderContext({
    cwd: stackDir,
    env: { PATH: process.env.PATH ?? '', PID_DIR: pidDir },
    signal,
  });
}

/** GET `path` through a URL with a fresh connection; the body is the release's version. */
export function get(url: string, path = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The version the service's proxy serves now, undefined when nothing is live. */
export async function servedVersion(provider: Provider, ctx: ProviderContext): Promise<string | undefined> {
  const live = (await provider.listDeploys(ctx)).find((d) => d.state === 'live');
  if (!live?.url) return undefined;
  const answer = await get(live.url);
  return answer.status === 200 ? answer.body : undefined;
}

/** True while the process runs; a zombie waiting for a slow init to reap it has stopped. */
export function isRunning(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2] !== 'Z';
  } catch {
    try {
      process.kill(pid, 0);
      return !existsSync('/proc');
    } catch {
      return false;
    }
  }
}
