/** `opsbook env check|diff|example|docs`: the env contract against real values, and the files generated from it. */
import { dirname, relative, resolve } from 'node:path';
import { envCheck, envDiff, envDocs, envExample } from '../app/env.js';
import { hasErrors } from '../diagnostics/index.js';
import { UserError } from '../errors.js';
import { configFor } from './config.js';
import { checkOutcome, fileOutcome, printDiff } from './env-render.js';
import type { ENV_ARGS } from './specs-release.js';
import type { CommandHandler } from './types.js';

const SUBCOMMANDS = ['check', 'diff', 'example', 'docs'] as const;

export const run: CommandHandler<typeof ENV_ARGS> = async (input) => {
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
    environment: input.values.env,
  };
  if (sub === 'check' || sub === 'diff') {
    const options = { ...common, from: input.values.from };
    if (sub === 'check') return checkOutcome(await envCheck(options));
    const result = await envDiff({ ...options, against: input.values.against });
    return {
      ok: result.missing.length === 0 && !hasErrors(result.diagnostics),
      data: { ...result, diagnostics: undefined },
      diagnostics: result.diagnostics,
      print: (out) => printDiff(out, result),
    };
  }
  const write = input.values.write ? rest[0] : undefined;
  if (sub === 'example') {
    const beside = relative(input.cwd, resolve(dirname(resolve(input.cwd, loaded.file)), '.env.example'));
    const file = input.values.write ? (rest[0] ?? beside) : undefined;
    return fileOutcome(
      await envExample({ ...common, service: input.values.service, write: file }),
      '.env.example',
    );
  }
  if (input.values.write && !write)
    throw new UserError('env docs --write needs a file', 'e.g. opsbook env docs --write docs/environment.md');
  return fileOutcome(await envDocs({ ...common, service: input.values.service, write }), 'env docs');
};
