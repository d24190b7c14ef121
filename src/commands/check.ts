/** `opsbook check`: flags → the check use-case, with live progress → each gate and the verdict. */
import { check } from '../app/check.js';
import { countLine, replayNote } from '../checks/gates/index.js';
import { flagBool, flagList, flagString } from './args.js';
import { configFor } from './config.js';
import { askFor } from './prompt.js';
import type { CommandHandler } from './types.js';

export const run: CommandHandler = async (input) => {
  const loaded = await configFor(input);
  if (loaded.failure) return loaded.failure;
  const environment = flagString(input, 'env') ?? 'production';
  const out = input.out;
  const progress = out.progress(`checking ${environment}`);
  const running = new Set<string>();
  let done = 0;
  const markdownTarget = flagString(input, 'markdown');
  const result = await check({
    cwd: input.cwd,
    env: input.env,
    signal: input.signal,
    redactor: out.redactor,
    config: loaded.config,
    configFile: loaded.file,
    environment,
    only: flagList(input, 'only'),
    confirmed: flagList(input, 'confirm'),
    noCache: flagBool(input, 'no-cache'),
    ask: askFor(input),
    markdown: markdownTarget,
    onUpdate: (u) => {
      if (u.state === 'running') running.add(u.gate);
      else {
        running.delete(u.gate);
        done++;
      }
      progress.update(`${done} done · running ${[...running].join(', ') || '…'}`);
    },
  });
  progress.done(`${countLine(result)} in ${(result.durationMs / 1000).toFixed(1)}s`, result.passed);
  return {
    ok: result.passed,
    data: result,
    diagnostics: result.gates.flatMap((g) => g.diagnostics ?? []),
    print: (o) => {
      for (const g of result.gates) {
        const mark =
          g.status === 'passed'
            ? o.style('green', '✓')
            : g.status === 'failed'
              ? o.style(g.required ? 'red' : 'yellow', '✗')
              : '-';
        const cached = g.cached ? o.style('dim', ` (${replayNote(g)})`) : '';
        o.line(`${mark} ${g.name}${cached}  ${o.style('dim', g.summary)}`);
        if (g.status === 'failed' && g.tail) {
          for (const line of g.tail.split('\n').slice(-10)) o.line(o.style('dim', `    │ ${line}`));
          if (g.logFile) o.line(o.style('dim', `    full log: ${g.logFile}`));
        }
      }
      const cachedCount = result.gates.filter((g) => g.cached).length;
      if (cachedCount)
        o.note(
          `${cachedCount} passed result(s) replayed from cache on unchanged inputs (--no-cache to rerun)`,
        );
      if (markdownTarget) o.note(`checklist written to ${markdownTarget}`);
      if (result.gates.length === 0)
        o.error(
          `${countLine(result)}: add gates to opsbook.yaml, or list ${environment} in a gate's environments`,
        );
      else if (result.passed) o.success(`all required gates passed for ${environment}: ${countLine(result)}`);
      else
        o.error(
          `${countLine(result)} for ${environment}; required: ${result.gates
            .filter((g) => g.status === 'failed' && g.required)
            .map((g) => g.id)
            .join(', ')}`,
        );
    },
  };
};
