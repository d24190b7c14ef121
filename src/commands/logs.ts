/** `opsbook logs [SERVICE...]`: flags → the logs use-case → the lines, or new ones as they come with --follow. */
import { type LogsUseCaseOptions, logs, logsFollow } from '../app/logs.js';
import { parseDuration } from '../config/index.js';
import { UserError } from '../errors.js';
import { compilePattern, LEVELS, toLevel } from '../logs/index.js';
import { configFor } from './config.js';
import { followPrinter, printLogs } from './logs-render.js';
import type { LOGS_ARGS } from './specs-operate.js';
import type { CommandHandler, CommandInput } from './types.js';

function readFilters(
  input: CommandInput<typeof LOGS_ARGS>,
  now: number,
): Pick<LogsUseCaseOptions, 'sinceMs' | 'grep' | 'level' | 'lines'> {
  const since = input.values.since;
  const levelText = input.values.level;
  const level = levelText === undefined ? undefined : toLevel(levelText);
  if (levelText !== undefined && !level) {
    throw new UserError(`--level ${levelText} is not a log level`, `use one of ${LEVELS.join(', ')}`);
  }
  const linesText = input.values.lines;
  const lines = linesText === undefined ? undefined : Number(linesText);
  if (lines !== undefined && (!Number.isInteger(lines) || lines < 1)) {
    throw new UserError(`--lines ${linesText} is not a positive whole number`, 'e.g. --lines 200');
  }
  let sinceMs: number | undefined;
  if (since !== undefined) {
    try {
      sinceMs = now - parseDuration(since);
    } catch {
      throw new UserError(`--since ${since} is not a duration`, 'e.g. --since 15m, --since 2h, --since 30s');
    }
  }
  const grep = input.values.grep;
  if (grep !== undefined) {
    try {
      compilePattern(grep);
    } catch (error) {
      // Compiled later, inside the read, a bad /regex/ surfaced as a bug with a stack trace.
      throw new UserError(
        `--grep ${grep} is not a valid regular expression: ${(error as Error).message}`,
        'escape the special characters (e.g. \\( for a bracket), or drop the slashes to find the text as it is',
      );
    }
  }
  return { sinceMs, grep, level, lines };
}

export const run: CommandHandler<typeof LOGS_ARGS> = async (input) => {
  const loaded = await configFor(input);
  if (loaded.failure) return loaded.failure;
  const options = {
    cwd: input.cwd,
    config: loaded.config,
    environment: input.values.env,
    services: input.positionals,
    env: input.env,
    signal: input.signal,
    redactor: input.out.redactor,
    ...readFilters(input, Date.now()),
  };
  const named = input.positionals.length ? input.positionals : Object.keys(loaded.config.services);
  const width = Math.max(...named.map((s) => s.length));
  if (input.values.follow) {
    const followed = await logsFollow({ ...options, ...followPrinter(input.out, width) });
    return { ok: followed.notes.length === 0, data: followed, print: () => undefined };
  }
  const report = await logs(options);
  const { since, grep, level } = input.values;
  // No line to show is not a result to exit 0 on (as grep): a script reading the lines would go on with none.
  return {
    ok: report.notes.length === 0 && report.entries.length > 0,
    data: report,
    print: (out) => printLogs(report, width, out, { since, grep, level }),
  };
};
