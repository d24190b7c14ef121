/**
 * Where a service's lines come from: the provider's app-wide runtime logs (Fly, Heroku), else the logs of the
 * deploy that is live now (Render, Vercel, Railway, Netlify, local, command), else the `logs` command a
 * command provider configures. Each source hands out only lines it has not handed out before.
 */
import type { ResolvedService } from '../config/index.js';
import { terminalSafe } from '../output/index.js';
import type { LogLine, Provider, ProviderContext, ProviderDeploy, ShellProcess } from '../providers/index.js';
import { startShell } from '../providers/index.js';
import { describeExit } from '../shell/index.js';
import { parseLogLine } from './parse.js';
import { redactLogLine } from './redact-line.js';
import type { LogEntry } from './types.js';

export interface LogSource {
  readonly service: string;
  /** New lines since the last read. */
  read(): Promise<LogEntry[]>;
  /** The recent lines, once (a logs command runs until it exits, or for `waitMs`). */
  recent(waitMs: number): Promise<LogEntry[]>;
  close(): Promise<void>;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching escape codes is the point
const COLOUR = /\u001b\[[0-9;:]*m/g;

export function toEntry(service: string, line: LogLine, ctx: ProviderContext): LogEntry {
  const text = redactLogLine(line.text, ctx.redactor);
  const parsed = parseLogLine(text.replace(COLOUR, ''));
  return {
    service,
    at: parsed.at ?? line.at,
    ...(parsed.level ? { level: parsed.level } : {}),
    text,
    message: terminalSafe(parsed.message),
    source: line.source,
  };
}

function noLiveDeploy(provider: Provider, deploys: ProviderDeploy[]): string {
  const latest = deploys[0];
  const why = latest
    ? `its latest ${provider.type} deploy ${latest.id} is ${latest.state}${deploys.length > 1 ? ' and none of the recent ones is live' : ''}`
    : `${provider.type} lists no deploy of it`;
  const what =
    latest && latest.state !== 'failed' && latest.state !== 'canceled'
      ? `wait for it to go live and run 'opsbook logs ${provider.service.name}' again (or --follow)`
      : `deploy it ('opsbook deploy ${provider.service.name}'), or read the failed deploy's build log on the platform`;
  return `no live deploy to read logs from: ${why}; ${what}`;
}

export function providerLogSource(service: string, provider: Provider, ctx: ProviderContext): LogSource {
  let cursor: string | undefined;
  let liveId: string | undefined;
  return {
    service,
    async read() {
      let page: { lines: LogLine[]; cursor?: string };
      if (provider.serviceLogs) page = await provider.serviceLogs(ctx, cursor);
      else if (provider.logs) {
        const deploys = await provider.listDeploys(ctx, { limit: 20 });
        const live = deploys.find((d) => d.state === 'live');
        // Nothing runs, so there is nothing to read: say so instead of printing no lines as if all were quiet.
        if (!live) throw new Error(noLiveDeploy(provider, deploys));
        // A new release went live: its log starts over.
        if (live.id !== liveId) cursor = undefined;
        liveId = live.id;
        page = await provider.logs(live.id, ctx, cursor);
      } else return [];
      cursor = page.cursor ?? cursor;
      return page.lines.map((line) => toEntry(service, line, ctx));
    },
    recent() {
      return this.read();
    },
    close: async () => provider.close?.(),
  };
}

/** A command provider's `logs` command (`railway logs`, `vercel logs URL`...): its output lines as they come. */
export function commandLogSource(
  service: ResolvedService,
  command: string,
  ctx: ProviderContext,
  cwd: string,
): LogSource {
  const buffer: LogEntry[] = [];
  let proc: ShellProcess | undefined;
  let lastError: string | undefined;
  let told = false;
  /**
   * A logs command that failed (not logged in, not installed) printed its error as if it were the service's log,
   * and `opsbook logs` exited 0 on it: now the failure is the source's error, once, with its last stderr line.
   */
  const failure = () => {
    const exit = proc?.exit;
    if (told || !exit || (exit.code === 0 && !exit.signal && !exit.error)) return;
    told = true;
    const why = lastError ? `: ${terminalSafe(redactLogLine(lastError, ctx.redactor))}` : '';
    throw new Error(
      `the logs command '${command}' ${describeExit(exit)}${why}; run it in a shell to see why, or fix provider.logs`,
    );
  };
  const take = () => {
    const lines = buffer.splice(0);
    failure();
    return lines;
  };
  const env = Object.fromEntries(
    Object.entries(ctx.env).filter((e): e is [string, string] => e[1] !== undefined),
  );
  const start = () =>
    (proc ??= startShell(command, {
      cwd,
      env,
      onLine: (stream, text) => {
        if (stream === 'stderr') lastError = text;
        buffer.push(
          toEntry(service.name, { at: new Date(ctx.now()).toISOString(), source: 'runtime', text }, ctx),
        );
      },
    }));
  return {
    service: service.name,
    async read() {
      start();
      return take();
    },
    async recent(waitMs) {
      const running = start();
      await Promise.race([running.exited, ctx.sleep(waitMs).catch(() => undefined)]);
      return take();
    },
    async close() {
      await proc?.stop(2_000);
    },
  };
}
