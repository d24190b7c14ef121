/** `opsbook secrets scan [path] [--history] [--baseline FILE] [--write-baseline]`: the secret scanner as a command. */
import { resolve } from 'node:path';
import { prestartScanWorkers } from '../checks/secrets/threads.js';
import { UserError } from '../errors.js';
import { scanOutcome } from './secrets-render.js';
import type { SECRETS_ARGS } from './specs-release.js';
import type { CommandHandler } from './types.js';

export const run: CommandHandler<typeof SECRETS_ARGS> = async (input) => {
  const [sub, path, ...extra] = input.positionals;
  if (sub !== 'scan') {
    throw new UserError(
      sub ? `unknown subcommand 'secrets ${sub}'` : 'missing subcommand',
      'usage: opsbook secrets scan [PATH] [--history] [--baseline FILE] [--write-baseline]',
    );
  }
  if (extra.length)
    throw new UserError(
      `scan takes one path, got ${input.positionals.length - 1}`,
      'scan a common parent directory instead',
    );
  const workers = threadsFlag(input.values.threads);
  // A tree scan's workers start before the scanner loads, overlapping it, the rules and the listing. History scans
  // start theirs late, if at all (scan.ts).
  if (!input.values.history) prestartScanWorkers(resolve(input.cwd, path ?? '.'), workers);
  const { scanSecrets } = await import('../checks/secrets/index.js');
  const result = await scanSecrets({
    cwd: input.cwd,
    path,
    history: input.values.history,
    baseline: input.values.baseline,
    writeBaseline: input.values['write-baseline'],
    workers,
    signal: input.signal,
  });
  return scanOutcome(result);
};

/** `--threads N`: 1 is the main thread alone (no workers), more are that many worker threads. */
function threadsFlag(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 64)
    throw new UserError(`--threads must be a whole number from 1 to 64, not '${value}'`, 'e.g. --threads 2');
  return n === 1 ? 0 : n;
}
