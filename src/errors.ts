/**
 * The few error classes opsbook throws, and the one classifier that maps them to exit codes (main.ts) and HTTP
 * statuses (the server). Expected outcomes are values, not errors.
 */
import type { Diagnostic } from './diagnostics/index.js';
import { environmentProblem } from './environment-error.js';

/** Bad input from the user: shown as-is with a hint, exit code 2. */
export class UserError extends Error {
  override name = 'UserError';
  constructor(
    message: string,
    readonly hint?: string,
    readonly code = 'user-error',
  ) {
    super(message);
  }
}

/**
 * The config does not validate: every problem is in `diagnostics`. Thrown by the use-cases when they load the config
 * themselves (the library face); the CLI reports the same diagnostics as a failed outcome instead.
 */
export class ConfigError extends UserError {
  override name = 'ConfigError';
  constructor(
    readonly file: string,
    readonly diagnostics: Diagnostic[],
  ) {
    super(
      `${file} is not valid`,
      "fix the problems in diagnostics, then run 'opsbook validate'",
      'config/invalid',
    );
  }
}

/** A platform call failed: which provider, the HTTP status and an excerpt of the body. Exit code 3. */
export class ProviderError extends Error {
  override name = 'ProviderError';
  constructor(
    readonly provider: string,
    message: string,
    readonly status?: number,
    readonly bodyExcerpt?: string,
  ) {
    super(message);
  }
}

/** The problem has already been reported to the user; only the exit code is left to apply. */
export class ExitError extends Error {
  override name = 'ExitError';
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}

/** Documented exit codes (README "Exit codes"). */
export const EXIT = {
  ok: 0,
  /** The command ran and its result is a failure: invalid config, failed gate, failed deploy. */
  failed: 1,
  /** Bad usage or bad input. */
  usage: 2,
  /** A platform or remote service call failed. */
  provider: 3,
  /** Another run holds the lock. */
  locked: 4,
  /** The machine or a service opsbook needs failed: disk full, no permission, database connection lost. */
  environment: 5,
  /** A bug in opsbook. */
  internal: 70,
  /** Interrupted (SIGINT). */
  interrupted: 130,
} as const;

/** An error as the CLI and the server report it. `shown` is false for a bug: its message is not for the user. */
export interface ClassifiedError {
  kind: 'reported' | 'user' | 'provider' | 'interrupted' | 'environment' | 'internal';
  exitCode: number;
  httpStatus: number;
  code: string;
  message: string;
  hint?: string;
  /** A platform's response excerpt (ProviderError). */
  body?: string;
}

/** `aborted`: the run was interrupted, so whatever the abort threw is reported as that, not as a bug. */
export function classifyError(error: unknown, options: { aborted?: boolean } = {}): ClassifiedError {
  if (error instanceof ExitError)
    return {
      kind: 'reported',
      exitCode: error.exitCode,
      httpStatus: 500,
      code: 'exit',
      message: error.message,
    };
  if (error instanceof UserError)
    return {
      kind: 'user',
      exitCode: EXIT.usage,
      httpStatus: error.code === 'not-found' ? 404 : 400,
      code: error.code,
      message: error.message,
      ...(error.hint ? { hint: error.hint } : {}),
    };
  if (error instanceof ProviderError) {
    // The platform adapters' messages start with the provider and say the status already: once is enough.
    const named = error.message.startsWith(`${error.provider}:`);
    const told = error.status !== undefined && error.message.includes(`HTTP ${error.status}`);
    return {
      kind: 'provider',
      exitCode: EXIT.provider,
      httpStatus: 502,
      code: 'provider-error',
      message: `${named ? '' : `${error.provider}: `}${error.message}${error.status && !told ? ` (HTTP ${error.status})` : ''}`,
      ...(error.bodyExcerpt ? { body: error.bodyExcerpt } : {}),
    };
  }
  if (options.aborted)
    return {
      kind: 'interrupted',
      exitCode: EXIT.interrupted,
      httpStatus: 503,
      code: 'interrupted',
      message: 'interrupted',
    };
  const problem = environmentProblem(error);
  if (problem) return { kind: 'environment', exitCode: EXIT.environment, httpStatus: 500, ...problem };
  const err = error as Error | undefined;
  return {
    kind: 'internal',
    exitCode: EXIT.internal,
    httpStatus: 500,
    code: 'internal',
    message: String(err?.message ?? err),
  };
}
