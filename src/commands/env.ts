/** `opsbook env check|diff|example|docs`: the env contract against real values, and the files generated from it. */
import { dirname, relative, resolve } from 'node:path';
import { envCheck, envDiff, envDocs, envExample } from '../app/env.js';
import { hasErrors } from '../diagnostics/index.js';
import { UserError } from '../errors.js';
import { flagBool, flagString } from './args.js';
import { configFor } from './config.js';
import { checkOutcome, fileOutcome, printDiff } from './env-render.js';
import type { CommandHandler, CommandInput } from './types.js';

const SUBCOMMANDS = ['check', 'diff', 'example', 'docs'] as const;

export const run: CommandHandler = async (input: CommandInput) => {
  const [sub, ...rest] = input.positionals;
  if (!sub || !(SUBCOMMANDS as readonly string[]).includes(sub))
    throw new UserError(
      sub ? `unknown env subcommand '${sub}'` : 'env needs a subcommand',
      `use one of: ${SUBCOMMANDS.map((s) => `opsbook env ${s}`).join(', ')}`,
    );
  const extra = sub === 'example' || sub === 'docs' ? rest.slice(1) : rest;
  if (extra.length) throw new UserError(`unexpected argument '${extra[0]}'`, "see 'opsbook env --help'");
  const loaded = await configFor(input);
  if (loaded.failure) return loaded.failure;
  const common = {
    cwd: input.cwd,
    env: input.env,
    redactor: input.out.redactor,
    signal: input.signal,
    config: loaded.config,
    configFile: loaded.file,
    environment: flagString(input, 'env'),
  };
  if (sub === 'check' || sub === 'diff') {
    const options = { ...common, from: flagString(input, 'from') };
    if (sub === 'check') return checkOutcome(await envCheck(options));
    const result = await envDiff({ ...options, against: flagString(input, 'against') });
    return {
      ok: result.missing.length === 0 && !hasErrors(result.diagnostics),
      data: { ...result, diagnostics: undefined },
      diagnostics: result.diagnostics,
      print: (out) => printDiff(out, result),
    };
  }
  const write = flagBool(input, 'write') ? rest[0] : undefined;
  if (sub === 'example') {
    const beside = relative(input.cwd, resolve(dirname(resolve(input.cwd, loaded.file)), '.env.example'));
    const file = flagBool(input, 'write') ? (rest[0] ?? beside) : undefined;
    return fileOutcome(
      await envExample({ ...common, service: flagString(input, 'service'), write: file }),
      '.env.example',
    );
  }
  if (flagBool(input, 'write') && !write)
    throw new UserError('env docs --write needs a file', 'e.g. opsbook env docs --write docs/environment.md');
  return fileOutcome(await envDocs({ ...common, service: flagString(input, 'service'), write }), 'env docs');
};
