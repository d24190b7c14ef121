/** `opsbook check`: flags → the check use-case, with live progress → each gate and the verdict. */
import { check } from '../app/check.js';
import { checkProgress, printCheck } from './check-render.js';
import { configFor } from './config.js';
import { askFor } from './prompt.js';
import type { CHECK_ARGS } from './specs-release.js';
import type { CommandHandler } from './types.js';

export const run: CommandHandler<typeof CHECK_ARGS> = async (input) => {
  const loaded = await configFor(input);
  if (loaded.failure) return loaded.failure;
  const environment = input.values.env ?? 'production';
  const progress = checkProgress(input.out, environment);
  const markdownTarget = input.values.markdown;
  const result = await check({
    cwd: input.cwd,
    env: input.env,
    signal: input.signal,
    redactor: input.out.redactor,
    config: loaded.config,
    configFile: loaded.file,
    environment,
    only: input.values.only,
    confirmed: input.values.confirm,
    noCache: input.values['no-cache'],
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
