// The opsbook side of the local runtime: finds or starts the stack's supervisor, calls its control API, stops it.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ProviderError, UserError } from '../../errors.js';
import { ensurePrivateDir, writePrivateFile } from '../private-files.js';
import { controlRequest } from './control-http.js';
import type { SupervisorInfo } from './protocol.js';
import { isSupervisorProcess, readServiceStates, readSupervisorInfo, runtimePaths } from './runtime-files.js';
import { reclaimReleases } from './service-runtime.js';

const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 20_000;

async function ping(info: SupervisorInfo, signal?: AbortSignal): Promise<boolean> {
  try {
    const timeout = AbortSignal.timeout(2000);
    const res = await controlRequest(
      info.port,
      info.token,
      'GET',
      '/v1/ping',
      undefined,
      signal ? AbortSignal.any([signal, timeout]) : timeout,
    );
    return res.status >= 200 && res.status < 300;
  } catch {
    signal?.throwIfAborted();
    return false;
  }
}

/** Built, the daemon is supervisor-main.js; from source (tsx, vitest) it is the .ts file, loaded through tsx. */
function daemonArgs(): string[] {
  const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  const entry = fileURLToPath(new URL(`./supervisor-main.${ext}`, import.meta.url));
  if (ext === 'js') return [entry];
  const tsx = createRequire(import.meta.url).resolve('tsx');
  return ['--import', pathToFileURL(tsx).href, entry];
}

function logTail(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim().split('\n').slice(-5).join('\n');
  } catch {
    return '';
  }
}

/** The running supervisor of `stackDir`, started (detached) when there is none. */
export async function ensureSupervisor(stackDir: string, signal: AbortSignal): Promise<SupervisorInfo> {
  const current = readSupervisorInfo(stackDir);
  if (current && (await ping(current, signal))) return current;
  const paths = runtimePaths(stackDir);
  ensurePrivateDir(paths.root);
  const out = openSync(paths.log, 'a', 0o600);
  const child = spawn(process.execPath, [...daemonArgs(), stackDir], {
    cwd: stackDir,
    detached: true,
    stdio: ['ignore', out, out],
    env: process.env,
  });
  closeSync(out);
  child.unref();
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    await delay(50, undefined, { signal });
    const info = readSupervisorInfo(stackDir);
    // Our child may have lost the lock race to a supervisor another opsbook started: that one serves us too.
    if (info && (await ping(info, signal))) return info;
    if (exited && !existsSync(paths.lock)) break;
  }
  throw new ProviderError(
    'local',
    `the local runtime did not start (see ${paths.log})`,
    undefined,
    logTail(paths.log),
  );
}

/**
 * One control API call; its error answers become UserError (bad id) or ProviderError (busy, failed, down), and no
 * answer at all SupervisorUnreachable.
 */
export async function callSupervisor<T>(
  info: SupervisorInfo,
  signal: AbortSignal,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<T> {
  const json = body === undefined ? undefined : JSON.stringify(body);
  const res = await controlRequest(info.port, info.token, method, path, json, signal);
  const { text } = res;
  let data: { error?: string; hint?: string } = {};
  try {
    data = JSON.parse(text);
  } catch {
    // An answer that is not JSON is reported as a provider error below.
  }
  if (res.status >= 200 && res.status < 300) return data as T;
  const message = data.error ?? `the local runtime answered ${res.status}`;
  if (res.status === 400 || res.status === 404) throw new UserError(message, data.hint);
  throw new ProviderError('local', message, res.status, data.hint ?? text.slice(0, 200));
}

/** Stops the stack's supervisor and every release it runs. Safe to call when none runs. */
export async function stopLocalRuntime(stackDir: string): Promise<void> {
  const info = readSupervisorInfo(stackDir);
  if (info && isSupervisorProcess(info.pid)) {
    await callSupervisor(info, AbortSignal.timeout(5000), 'POST', '/v1/shutdown').catch(() => {
      // Not answering: the signal below still stops it.
      process.kill(info.pid, 'SIGTERM');
    });
    const deadline = Date.now() + STOP_TIMEOUT_MS;
    while (isSupervisorProcess(info.pid) && Date.now() < deadline) await delay(50);
    if (isSupervisorProcess(info.pid)) process.kill(info.pid, 'SIGKILL');
  }
  // A supervisor killed hard leaves its releases running: stop them from the recorded process groups.
  for (const [name, state] of readServiceStates(stackDir)) {
    if (reclaimReleases(state, 'stopped with the local runtime')) {
      writePrivateFile(runtimePaths(stackDir).state(name), `${JSON.stringify(state, null, 2)}\n`);
    }
  }
}
