/**
 * The provider interface: the adapter between opsbook and a platform. Four required methods; what a platform
 * lacks is an optional method the core checks for, never a flag.
 */
import type { ResolvedService } from '../config/index.js';
import type { Redactor } from '../redact/index.js';

/** I/O comes in through the context: providers never reach for globals, so tests pass fakes or loopback servers. */
export interface ProviderContext {
  fetch: typeof fetch;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  /** Progress notes for the person watching (already redacted by the caller's output). */
  log: (message: string) => void;
  /** Milliseconds since the epoch. */
  now: () => number;
  /** Waits, or rejects when the signal aborts. Tests make time pass faster through it. */
  sleep: (ms: number) => Promise<void>;
  cwd: string;
  redactor: Redactor;
}

/** Where a platform deploy is. Providers map their own states onto these. */
export type DeployState =
  | 'queued'
  | 'building'
  | 'deploying'
  | 'live'
  | 'failed'
  | 'canceled'
  /** A newer deploy replaced it before it went live (Render's `deactivated`, Railway's `REMOVED`). */
  | 'superseded';

export const TERMINAL_STATES: readonly DeployState[] = ['live', 'failed', 'canceled', 'superseded'];

export interface ProviderDeploy {
  /** The platform's id (Render `dep-...`, Vercel `dpl_...`, Railway deployment id, local release id). */
  id: string;
  state: DeployState;
  commit?: string;
  /** What started it: `api`, `push`, `rollback`, `redeploy`... as the platform says. */
  trigger?: string;
  createdAt: string;
  finishedAt?: string;
  /** The URL the deploy serves at, when the platform gives one. */
  url?: string;
  /** A short reason when it failed, from the platform. */
  reason?: string;
  /** The release label the deploy request gave (local, command), e.g. v2. */
  version?: string;
}

export interface LogLine {
  at: string;
  source: 'build' | 'deploy' | 'runtime';
  text: string;
}

export interface DeployRequest {
  environment: string;
  /** The git commit to ship; with `follow`, the commit whose platform-started deploy to find. */
  commit?: string;
  /** Follow the deploy the platform started on push (auto-deploy) instead of starting one. */
  follow?: boolean;
  /** For the local and command providers: the release's label (e.g. v2) and extra env for it. */
  version?: string;
  releaseEnv?: Record<string, string>;
}

export interface Provider {
  readonly type: string;
  readonly service: ResolvedService;

  /** Starts a deploy (or, with `follow`, finds the one the platform started) and returns at once. */
  deploy(request: DeployRequest, ctx: ProviderContext): Promise<ProviderDeploy>;
  /** The deploy's current state. The core polls this while watching. */
  getDeploy(id: string, ctx: ProviderContext): Promise<ProviderDeploy>;
  /**
   * Waits until the deploy is no longer in state `since`, or `maxMs` passed, whichever comes first: the watch calls
   * it instead of sleeping between two polls, so a platform that can notify (the local supervisor holds the request
   * until the release changes) is seen at once rather than at the next poll.
   */
  waitForChange?(id: string, since: DeployState, maxMs: number, ctx: ProviderContext): Promise<void>;
  /** Rolls back to `targetId` (a deploy from `listDeploys`); returns the deploy that now serves. */
  rollback(targetId: string, ctx: ProviderContext): Promise<ProviderDeploy>;
  /** Newest first. */
  listDeploys(ctx: ProviderContext, options?: { limit?: number }): Promise<ProviderDeploy[]>;

  /** Build and runtime log lines of a deploy after a cursor; returns the lines and the next cursor. */
  /**
   * Proves the provider can act before anything is locked: credentials, reachability, the binary a command runs.
   * Without it the core lists one deploy, which needs the token, the API and the service.
   */
  preflight?(ctx: ProviderContext): Promise<void>;
  logs?(id: string, ctx: ProviderContext, cursor?: string): Promise<{ lines: LogLine[]; cursor?: string }>;
  /** The service's runtime lines as it runs now (app-wide, not one deploy's) after a cursor, where the platform has that. */
  serviceLogs?(ctx: ProviderContext, cursor?: string): Promise<{ lines: LogLine[]; cursor?: string }>;
  /**
   * The service's env vars as the platform holds them for an environment (default production); `branch` is the
   * git branch the environment deploys, for platforms with per-branch values (Vercel preview).
   */
  getEnv?(
    ctx: ProviderContext,
    options?: { environment?: string; branch?: string },
  ): Promise<Record<string, string>>;
  setEnv?(values: Record<string, string>, ctx: ProviderContext): Promise<void>;
  /**
   * Turns platform auto-deploy on push on or off (off after a rollback, so a push does not re-ship the bad build).
   * Resolves false when it already was so (nothing changed: unlock must not switch on what opsbook did not switch off).
   */
  setAutoDeploy?(enabled: boolean, ctx: ProviderContext): Promise<boolean | undefined>;
  cancel?(id: string, ctx: ProviderContext): Promise<void>;
  /** Frees what the provider holds (the local provider's proxy and processes when the run owns them). */
  close?(): Promise<void>;
}
