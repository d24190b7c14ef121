/** Follows one platform deploy to a terminal state, reading its log lines for the service's success and trouble signals. */
import { ProviderError } from '../errors.js';
import {
  type Provider,
  type ProviderContext,
  type ProviderDeploy,
  TERMINAL_STATES,
} from '../providers/types.js';
import { backoffDelay } from '../timing/index.js';
import type { LogSignals } from './log-signals.js';

export interface WatchOptions {
  provider: Provider;
  deployId: string;
  ctx: ProviderContext;
  signals: LogSignals;
  timeoutMs: number;
  /** The longest wait between two polls; the first polls come sooner (see `pollDelay`). */
  pollMs: number;
  /** A trouble line ends the watch as failed (rollback trigger `trouble-log`). */
  troubleIsFatal: boolean;
  onLine?: (line: string, kind: 'success' | 'trouble' | 'plain') => void;
  onState?: (deploy: ProviderDeploy) => void;
  /** Accounts time spent in the provider (for the overhead figure). */
  external: <T>(work: () => Promise<T>) => Promise<T>;
}

export interface WatchResult {
  deploy: ProviderDeploy;
  successLines: string[];
  troubleLines: string[];
  /** Set when the watch ended on a trouble line or a timeout rather than the platform's verdict. */
  stoppedBecause?: string;
  logCursor?: string;
  /** Why the deploy's log lines were not read (the platform kept refusing them): its signals went unwatched. */
  logsUnread?: string;
  /**
   * How long after the platform finished (its `finishedAt`) the watch saw it, within the last wait: time counted as
   * waiting on the provider that was really the watch being late, so the run counts it as its own.
   */
  lateMs: number;
}

const MAX_CONSECUTIVE_ERRORS = 5;
const FIRST_POLL_MS = 50;

/**
 * Polls start fast and back off by half each time up to `maxMs`: most deploys that finish quickly (the local
 * provider, a cached build) are seen within ~50-100 ms of finishing, so verification and a bad release's rollback
 * start that much sooner, while a long build is still polled only every `maxMs`. A provider that can notify
 * (`waitForChange`) ends each wait as soon as the deploy changes state.
 */
export function pollDelay(poll: number, maxMs: number): number {
  return backoffDelay(poll + 1, { baseMs: FIRST_POLL_MS, factor: 1.5, maxMs });
}

/** Reads new log lines after `cursor` and sorts them by signal. */
export async function readLogs(
  options: WatchOptions,
  cursor: string | undefined,
  into: WatchResult,
): Promise<string | undefined> {
  const { provider, deployId, ctx, signals } = options;
  if (!provider.logs) return cursor;
  const { lines, cursor: next } = await options.external(() => provider.logs!(deployId, ctx, cursor));
  for (const l of lines) {
    const kind = signals.trouble(l.text) ? 'trouble' : signals.success(l.text) ? 'success' : 'plain';
    if (kind === 'trouble') into.troubleLines.push(l.text);
    if (kind === 'success') into.successLines.push(l.text);
    options.onLine?.(l.text, kind);
  }
  return next ?? cursor;
}

export async function watchDeploy(options: WatchOptions): Promise<WatchResult> {
  const { provider, deployId, ctx } = options;
  const deadline = ctx.now() + options.timeoutMs;
  let errors = 0;
  let cursor: string | undefined;
  const result: WatchResult = {
    deploy: await options.external(() => provider.getDeploy(deployId, ctx)),
    successLines: [],
    troubleLines: [],
    lateMs: 0,
  };
  let lastWait: { from: number; to: number } | undefined;
  let lastState = result.deploy.state;
  options.onState?.(result.deploy);
  let logErrors = 0;
  for (let poll = 0; ; poll++) {
    ctx.signal.throwIfAborted();
    // Log lines are a capability on top of the deploy's state: a platform refusing them (a token without the logs
    // scope) must not keep the watch from seeing the deploy go live or fail, which then went unverified.
    if (result.logsUnread === undefined)
      try {
        cursor = await readLogs(options, cursor, result);
        logErrors = 0;
      } catch (error) {
        if (!(error instanceof ProviderError)) throw error;
        if (++logErrors > MAX_CONSECUTIVE_ERRORS) {
          result.logsUnread = error.message;
          ctx.log(`${provider.service.name}: ${error.message}; watching the deploy without its log lines`);
        }
      }
    try {
      if (!TERMINAL_STATES.includes(result.deploy.state))
        result.deploy = await options.external(() => provider.getDeploy(deployId, ctx));
      errors = 0;
    } catch (error) {
      if (!(error instanceof ProviderError) || ++errors > MAX_CONSECUTIVE_ERRORS) throw error;
      ctx.log(
        `${provider.service.name}: ${error.message}; still watching (${errors}/${MAX_CONSECUTIVE_ERRORS})`,
      );
    }
    if (result.deploy.state !== lastState) {
      lastState = result.deploy.state;
      options.onState?.(result.deploy);
    }
    if (options.troubleIsFatal && result.troubleLines.length) {
      result.stoppedBecause = `trouble in the logs: ${result.troubleLines[0]}`;
      break;
    }
    if (TERMINAL_STATES.includes(result.deploy.state)) {
      result.lateMs = lateness(result.deploy, lastWait);
      break;
    }
    if (ctx.now() > deadline) {
      result.stoppedBecause = `still ${result.deploy.state} after the deploy timeout`;
      break;
    }
    const waitMs = pollDelay(poll, options.pollMs);
    const from = ctx.now();
    const since = result.deploy.state;
    await options.external(() =>
      provider.waitForChange ? provider.waitForChange(deployId, since, waitMs, ctx) : ctx.sleep(waitMs),
    );
    lastWait = { from, to: ctx.now() };
  }
  result.logCursor = cursor;
  return result;
}

/**
 * The part of the last wait that came after the platform had finished (0 when it does not say when). Bounded by that
 * wait, so a platform clock that is off by more cannot make it larger.
 */
function lateness(deploy: ProviderDeploy, wait: { from: number; to: number } | undefined): number {
  const finished = deploy.finishedAt ? Date.parse(deploy.finishedAt) : Number.NaN;
  if (!wait || Number.isNaN(finished)) return 0;
  return Math.max(0, wait.to - Math.max(finished, wait.from));
}
