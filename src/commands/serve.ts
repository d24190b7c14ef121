/** `opsbook serve`: flags → the serve use-case → where it serves, until SIGINT or SIGTERM. */
import { DEFAULT_HOST, serve } from '../app/serve.js';
import { UserError } from '../errors.js';
import { configFor } from './config.js';
import type { SERVE_ARGS } from './specs-operate.js';
import type { CommandHandler } from './types.js';

function parsePort(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 65_535)
    throw new UserError(
      `--port must be a number from 0 to 65535, not '${text}'`,
      'e.g. --port 8080 (0: any free port)',
    );
  return n;
}

/**
 * Resolves with the signal that stopped the CLI: SIGINT, SIGTERM (a process manager stopping us) or SIGHUP, each of
 * which main.ts turns into an abort that names it.
 */
function untilStopped(signal: AbortSignal): Promise<string> {
  const why = () => (signal.reason as { signal?: string } | undefined)?.signal ?? 'SIGINT';
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(why());
    signal.addEventListener('abort', () => resolve(why()), { once: true });
  });
}

export const run: CommandHandler<typeof SERVE_ARGS> = async (input) => {
  const loaded = await configFor(input);
  if (loaded.failure) return loaded.failure;
  const { out } = input;
  const port = parsePort(input.values.port);
  const handle = await serve({
    cwd: input.cwd,
    config: loaded.config,
    env: input.env,
    environment: input.values.env,
    ...(port !== undefined ? { port } : {}),
    host: input.values.host ?? DEFAULT_HOST,
    redactor: out.redactor,
    print: (line) => out.line(line),
    log: (level, message) => (level === 'error' ? out.error(message) : out.warn(message)),
  });
  const say = (text: string) => (out.mode === 'json' ? out.note(text) : out.line(text));
  say(`opsbook serving ${handle.environment} at ${handle.url}`);
  say(`  status page ${handle.url}/status · API ${handle.url}/api/v1/status · metrics ${handle.url}/metrics`);
  say(`  ${handle.monitors} monitors, instance ${handle.instanceId}`);
  for (const note of handle.notes) out.warn(`not monitored: ${note.service}: ${note.message}`);

  const why = await untilStopped(input.signal);
  out.note(
    `${why}: stopping (checks in flight are dropped and run again by the next instance, leases released)`,
  );
  await handle.close();
  out.note('stopped');
  return {
    ok: true,
    data: { url: handle.url, environment: handle.environment, instanceId: handle.instanceId, stoppedBy: why },
  };
};
