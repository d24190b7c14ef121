import { currentActor } from '../actor/index.js';
import { type CheckResult, countLine, renderMarkdown, replayNote, runChecks } from '../checks/gates/index.js';
import { openStore } from '../store/index.js';
import { flagBool, flagList, flagString } from './args.js';
import { configFor } from './config.js';
import { writeOutputFile } from './output-file.js';
import { askFor } from './prompt.js';
import type { CommandHandler } from './types.js';

export const run: CommandHandler = async (input) => {
  const loaded = await configFor(input);
  if (loaded.failure) return loaded.failure;
  const { config } = loaded;
  const environment = flagString(input, 'env') ?? 'production';
  const actor = currentActor(input.cwd, input.env);
  const out = input.out;
  const store = await openStore({ cwd: input.cwd, env: input.env, redactor: out.redactor });
  const ask = askFor(input);
  const progress = out.progress(`checking ${environment}`);
  const running = new Set<string>();
  let done = 0;
  let result: CheckResult;
  try {
    result = await runChecks({
      cwd: input.cwd,
      config,
      configFile: loaded.file,
      environment,
      env: input.env,
      signal: input.signal,
      redactor: out.redactor,
      actor,
      store,
      only: flagList(input, 'only'),
      confirm: flagList(input, 'confirm'),
      noCache: flagBool(input, 'no-cache'),
      ask,
      onUpdate: (u) => {
        if (u.state === 'running') running.add(u.gate);
        else {
          running.delete(u.gate);
          done++;
        }
        progress.update(`${done} done · running ${[...running].join(', ') || '…'}`);
      },
    });
  } finally {
    await store.close();
  }
  progress.done(`${countLine(result)} in ${(result.durationMs / 1000).toFixed(1)}s`, result.passed);
  const markdownTarget = flagString(input, 'markdown');
  const markdown = renderMarkdown(result, config.name, actor);
  if (markdownTarget) await writeOutputFile(input.cwd, markdownTarget, out.redactor.redact(markdown));
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
