/** `opsbook check`: flags → the check use-case, with live progress → each gate and the verdict. */
import { check } from '../app/check.js';
import { flagBool, flagList, flagString } from './args.js';
import { checkProgress, printCheck } from './check-render.js';
import { configFor } from './config.js';
import { askFor } from './prompt.js';
import type { CommandHandler } from './types.js';

export const run: CommandHandler = async (input) => {
  const loaded = await configFor(input);
  if (loaded.failure) return loaded.failure;
  const environment = flagString(input, 'env') ?? 'production';
  const progress = checkProgress(input.out, environment);
  const markdownTarget = flagString(input, 'markdown');
  const result = await check({
    cwd: input.cwd,
    env: input.env,
    signal: input.signal,
    redactor: input.out.redactor,
    config: loaded.config,
    configFile: loaded.file,
    environment,
    only: flagList(input, 'only'),
    confirmed: flagList(input, 'confirm'),
    noCache: flagBool(input, 'no-cache'),
    ask: askFor(input),
    markdown: markdownTarget,
    onUpdate: progress.onUpdate,
  });
  progress.done(result);
  return {
    ok: result.passed,
    data: result,
    diagnostics: result.gates.flatMap((g) => g.diagnostics ?? []),
    print: (o) => printCheck(o, result, environment, markdownTarget),
  };
};
