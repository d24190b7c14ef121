/** The few error classes opsbook throws; main.ts maps them to exit codes. Expected outcomes are values, not errors. */
import type { Diagnostic } from './diagnostics/index.js';

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
