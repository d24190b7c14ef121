/** Zero migration files is never "up to date": a wrong `dir` or layout would otherwise pass every check silently. */
import type { Diagnostic } from '../diagnostics/index.js';

export function noFilesDiagnostic(count: number, dir: string, layout = 'NNN_name.sql files'): Diagnostic[] {
  if (count > 0) return [];
  return [
    {
      severity: 'error',
      code: 'migration/no-files',
      message: `no migration files found in ${dir} (expected ${layout}): nothing was checked`,
      hint: 'point migrations.dir (or --dir) at the folder that holds the migrations, and set migrations.engine to the tool that writes them',
      location: { file: dir },
    },
  ];
}
