/** Loads the project's config for a command; an invalid config becomes a failed outcome carrying every diagnostic. */
import { dirname, resolve } from 'node:path';

// The modules, not the config barrel, which reaches the schema and zod (a cached config needs neither).
import { registerContractSecrets } from '../config/contract-secrets.js';
import type { StackConfig } from '../config/index.js';
import { loadConfig } from '../config/load.js';
import { EXIT } from '../errors.js';
import type { CommandInput, CommandOutcome } from './types.js';

export type ConfigOrFailure =
  | { config: StackConfig; file: string; failure?: undefined }
  | { failure: CommandOutcome };

export async function configFor(input: CommandInput): Promise<ConfigOrFailure> {
  const result = await loadConfig({ cwd: input.cwd, file: input.values.config });
  if (!result.config)
    return {
      failure: {
        ok: false,
        exitCode: EXIT.usage,
        data: { file: result.file, valid: false },
        diagnostics: result.diagnostics,
        print: (out) =>
          out.error(`${result.file} is not valid`, `fix the problems below, then run 'opsbook validate'`),
      },
    };
  // Every command that reads the config masks the contract's secret values from here on.
  registerContractSecrets(result.config, input.env, input.out.redactor, {
    dir: dirname(resolve(input.cwd, result.file)),
  });
  return { config: result.config, file: result.file };
}
