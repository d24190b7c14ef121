import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig, type StackConfig } from '../config/index.js';
import { type Diagnostic, hasErrors } from '../diagnostics/index.js';
import type { VALIDATE_ARGS } from './specs-release.js';
import type { CommandHandler } from './types.js';

export interface ValidateOptions {
  cwd: string;
  /** Config files to check; default: the project's config. */
  files?: string[];
}

export interface ValidateResult {
  valid: boolean;
  files: { file: string; valid: boolean; services: number; errors: number; warnings: number }[];
  diagnostics: Diagnostic[];
}

export async function validate(options: ValidateOptions): Promise<ValidateResult> {
  const targets = options.files?.length ? options.files : [undefined];
  const files: ValidateResult['files'] = [];
  const diagnostics: Diagnostic[] = [];
  for (const file of targets) {
    const result = await loadConfig({ cwd: options.cwd, file });
    if (result.config) result.diagnostics.push(...missingFolders(result.config, options.cwd, result.file));
    diagnostics.push(...result.diagnostics);
    files.push({
      file: result.file,
      valid: !hasErrors(result.diagnostics),
      services: result.config ? Object.keys(result.config.services).length : 0,
      errors: result.diagnostics.filter((d) => d.severity === 'error').length,
      warnings: result.diagnostics.filter((d) => d.severity === 'warning').length,
    });
  }
  return { valid: files.every((f) => f.valid), files, diagnostics };
}

/**
 * Folders the config names that are not there: a config can be well-formed and still point every `migrate` command
 * (and the deploy's migration step) at nothing. Resolved as those commands resolve them, from where opsbook runs.
 */
function missingFolders(config: StackConfig, cwd: string, file: string): Diagnostic[] {
  const dir = config.migrations?.dir;
  if (dir === undefined || existsSync(resolve(cwd, dir))) return [];
  return [
    {
      severity: 'error',
      code: 'config/missing-folder',
      message: `migrations.dir: ${dir} does not exist (from ${cwd}), so every migrate command would fail on it`,
      hint: 'fix the path (it is relative to the folder opsbook runs in), or create the folder with the first migration',
      location: { file, path: 'migrations.dir' },
    },
  ];
}

export const run: CommandHandler<typeof VALIDATE_ARGS> = async (input) => {
  const explicit = input.values.config;
  const files = input.positionals.length ? input.positionals : explicit ? [explicit] : [];
  const result = await validate({ cwd: input.cwd, files });
  return {
    ok: result.valid,
    data: { valid: result.valid, files: result.files },
    diagnostics: result.diagnostics,
    print: (out) => {
      for (const f of result.files) {
        const name = f.file;
        if (f.valid)
          out.success(
            `${name}: valid (${f.services} services${f.warnings ? `, ${f.warnings} warning(s)` : ''})`,
          );
        else out.line(`${out.style('red', 'invalid')} ${name}: ${f.errors} error(s)`);
      }
    },
  };
};
