/** `opsbook logs`: the recent lines of several services, or new ones as they come, interleaved by time. */
import { type ResolvedService, resolveEnvironment, type StackConfig } from '../config/index.js';
import { UserError } from '../errors.js';
import {
  createProvider,
  createProviderContext,
  type Provider,
  type ProviderContext,
} from '../providers/index.js';
import type { Redactor } from '../redact/index.js';
import { createLogFilter, type LogFilterOptions } from './match.js';
import { commandLogSource, type LogSource, providerLogSource } from './sources.js';
import type { LogEntry } from './types.js';

export interface LogsOptions extends LogFilterOptions {
  cwd: string;
  config: StackConfig;
  environment: string;
  /** Service names; none means every service opsbook deploys. */
  services?: string[];
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  redactor: Redactor;
  /** How many recent lines to show (default 100). */
  lines?: number;
  /** Time between polls when following (default 1s). */
  intervalMs?: number;
  /** Tests pass providers wired to fakes. */
  providerFor?: (service: ResolvedService) => Provider;
}

export interface LogsNote {
  service: string;
  message: string;
}

export interface LogsReport {
  environment: string;
  services: string[];
  entries: LogEntry[];
  /** Lines read before the filters (--since, --grep, --level) kept `entries`. */
  read: number;
  /** Services that were asked for and have no logs to read, or whose platform call failed. */
  notes: LogsNote[];
}

/** Oldest first; lines of the same instant keep the order their service wrote them in. */
export function interleave(entries: LogEntry[]): LogEntry[] {
  return entries
    .map((entry, i) => ({ entry, i, t: Date.parse(entry.at) }))
    .sort((a, b) => a.t - b.t || a.i - b.i)
    .map((x) => x.entry);
}

interface Opened {
  sources: LogSource[];
  notes: LogsNote[];
  ctx: ProviderContext;
}

function open(options: LogsOptions): Opened {
  const all = resolveEnvironment(options.config, options.environment);
  const names = options.services?.length ? options.services : undefined;
  for (const name of names ?? []) {
    if (!all.some((s) => s.name === name)) {
      throw new UserError(
        `there is no service '${name}' in ${options.environment}`,
        `services are: ${all.map((s) => s.name).join(', ')}`,
      );
    }
  }
  const chosen = names
    ? all.filter((s) => names.includes(s.name))
    : all.filter((s) => s.provider && s.provider.type !== 'none');
  const ctx = createProviderContext({
    cwd: options.cwd,
    env: options.env,
    signal: options.signal,
    redactor: options.redactor,
  });
  const sources: LogSource[] = [];
  const notes: LogsNote[] = [];
  for (const service of chosen) {
    const settings = service.provider;
    if (!settings || settings.type === 'none') {
      notes.push({
        service: service.name,
        message: 'no logs to read: opsbook does not deploy it (no provider)',
      });
      continue;
    }
    if (settings.type === 'command' && settings.logs) {
      sources.push(commandLogSource(service, settings.logs, ctx, options.cwd));
      continue;
    }
    const provider =
      options.providerFor?.(service) ?? createProvider(service, { cwd: options.cwd, env: options.env });
    if (!provider.logs && !provider.serviceLogs) {
      notes.push({
        service: service.name,
        message: `the ${settings.type} provider cannot read logs; set provider.logs to a command that prints them`,
      });
      continue;
    }
    sources.push(providerLogSource(service.name, provider, ctx));
  }
  if (!sources.length && !notes.length) {
    throw new UserError(
      `no service of ${options.environment} has logs opsbook can read`,
      'give a service a provider (opsbook.yaml services.NAME.provider), or name the services: opsbook logs api worker',
    );
  }
  return { sources, notes, ctx };
}

async function readAll(
  sources: LogSource[],
  notes: LogsNote[],
  read: (s: LogSource) => Promise<LogEntry[]>,
): Promise<LogEntry[]> {
  const pages = await Promise.all(
    sources.map((s) =>
      read(s).catch((error: unknown) => {
        if (error instanceof Error && error.name === 'AbortError') throw error;
        const message = error instanceof Error ? error.message : String(error);
        if (!notes.some((n) => n.service === s.service && n.message === message))
          notes.push({ service: s.service, message });
        return [];
      }),
    ),
  );
  return pages.flat();
}

export async function readLogs(options: LogsOptions): Promise<LogsReport> {
  const { sources, notes } = open(options);
  try {
    const keep = createLogFilter(options);
    const all = await readAll(sources, notes, (s) => s.recent(5_000));
    const entries = interleave(all.filter(keep));
    return {
      environment: options.environment,
      services: sources.map((s) => s.service),
      entries: entries.slice(-(options.lines ?? 100)),
      read: all.length,
      notes,
    };
  } finally {
    await Promise.all(sources.map((s) => s.close()));
  }
}

/**
 * Shows the recent lines, then polls every source and hands each batch of new lines, interleaved, to
 * `onEntries` until the signal aborts. Notes (a platform that failed) go to `onNote` once each.
 */
export async function followLogs(
  options: LogsOptions,
  onEntries: (entries: LogEntry[]) => void,
  onNote: (note: LogsNote) => void,
): Promise<{ services: string[] }> {
  const { sources, notes, ctx } = open(options);
  let told = 0;
  const tell = () => {
    for (const note of notes.slice(told)) onNote(note);
    told = notes.length;
  };
  const keep = createLogFilter(options);
  try {
    const first = interleave((await readAll(sources, notes, (s) => s.read())).filter(keep));
    onEntries(first.slice(-(options.lines ?? 100)));
    tell();
    while (!options.signal.aborted) {
      await ctx.sleep(options.intervalMs ?? 1_000).catch(() => undefined);
      if (options.signal.aborted) break;
      const batch = interleave((await readAll(sources, notes, (s) => s.read())).filter(keep));
      if (batch.length) onEntries(batch);
      tell();
    }
  } finally {
    await Promise.all(sources.map((s) => s.close()));
  }
  return { services: sources.map((s) => s.service) };
}
