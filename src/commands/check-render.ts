/** How `opsbook check` (and the pre-push hook running it) shows the gates: live progress, each gate, the verdict. */
import type { CheckOptions } from '../app/check.js';
import { type CheckResult, countLine, replayNote } from '../checks/gates/index.js';
import type { Output } from '../output/index.js';
import { formatMs } from '../timing/index.js';

/** Live progress of one environment's gates: feed `onUpdate` to the use-case, then `done` with its result. */
export function checkProgress(
  out: Output,
  environment: string,
): { onUpdate: NonNullable<CheckOptions['onUpdate']>; done: (result: CheckResult) => void } {
  const progress = out.progress(`checking ${environment}`);
  const running = new Set<string>();
  let done = 0;
  return {
    onUpdate: (u) => {
      if (u.state === 'running') running.add(u.gate);
      else {
        running.delete(u.gate);
        done++;
      }
      progress.update(`${done} done · running ${[...running].join(', ') || '…'}`);
    },
    done: (result) => progress.done(`${countLine(result)} in ${formatMs(result.durationMs)}`, result.passed),
  };
}

export function printCheck(
  o: Output,
  result: CheckResult,
  environment: string,
  markdownTarget: string | undefined,
): void {
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
    o.note(`${cachedCount} passed result(s) replayed from cache on unchanged inputs (--no-cache to rerun)`);
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
}
