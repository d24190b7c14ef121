import { loadConfig } from '../config/index.js';
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
