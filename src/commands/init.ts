/** `opsbook init`: flags → the init use-case → the config (dry run) and what was detected. */
import { type InitResult, initProject } from '../app/init.js';
import { EXIT } from '../errors.js';
import type { Output } from '../output/index.js';
import type { INIT_ARGS } from './specs-release.js';
import type { CommandHandler } from './types.js';

/** After a dry run stdout holds the config alone (so it can be redirected): the summary goes to stderr. */
function printSummary(out: Output, r: InitResult): void {
  const d = r.detected;
  const write = r.dryRun ? (t: string) => out.note(t) : (t: string) => out.line(t);
  const row = (label: string, text: string) => write(`  ${out.style('dim', label.padEnd(10))} ${text}`);
  row('detected', d.files.join(', ') || 'nothing: a placeholder service was written');
  row(
    'services',
    d.services.map((s) => `${s.name} (${[s.kind, s.platform].filter(Boolean).join(', ')})`).join(', '),
  );
  row('gates', d.gates.length ? `${d.gates.join(', ')} and the built-in checks` : 'the built-in checks');
  if (d.migrations)
    row('migrations', `${d.migrations.engine} in ${d.migrations.dir} for ${d.migrations.database}`);
  for (const e of d.env) row('env', `${e.service}: ${e.variables} variable(s), ${e.secrets} secret`);
}

export const run: CommandHandler<typeof INIT_ARGS> = async (input) => {
  const result = await initProject({
    cwd: input.cwd,
    file: input.values.config,
    name: input.values.name,
    force: input.values.force,
    dryRun: input.values['dry-run'],
  });
  const { text, ...data } = result;
  return {
    ok: result.valid,
    exitCode: result.valid ? EXIT.ok : EXIT.failed,
    data: result.dryRun ? { ...data, text } : data,
    diagnostics: result.diagnostics,
    print: (out) => {
      if (!result.valid) {
        out.error(
          'the generated config did not validate, so nothing was written',
          "the problems below point into it (see it with 'opsbook init --dry-run'); fix their source files or report this",
        );
        return;
      }
      if (result.dryRun) out.line(text);
      if (result.written) out.success(`wrote ${result.file}`);
      if (result.gitignored) out.success('added .opsbook/ (opsbook state) to .gitignore');
      if (result.dryRun) out.note(`dry run: ${result.file} was not written`);
      printSummary(out, result);
      if (result.written)
        out.line(`next: review ${result.file}, then run 'opsbook validate' and 'opsbook check'`);
    },
  };
};
