/** The words a check run is reported in: how many gates failed of how many, and when a replayed result was earned. */
import type { CheckResult } from './run-gates.js';
import type { GateResult } from './types.js';

/** `2 of 7 gates failed (1 optional), 3 replayed from cache`; a run of no gates says nothing was checked. */
export function countLine(result: Pick<CheckResult, 'gates' | 'environment'>): string {
  const total = result.gates.length;
  if (total === 0) return `no gates apply to ${result.environment}: nothing was checked`;
  const failed = result.gates.filter((g) => g.status === 'failed');
  const optional = failed.filter((g) => !g.required).length;
  const passed = result.gates.filter((g) => g.status === 'passed').length;
  const skipped = result.gates.filter((g) => g.status === 'skipped').length;
  const replayed = result.gates.filter((g) => g.cached).length;
  const head = failed.length
    ? `${failed.length} of ${total} gate${total === 1 ? '' : 's'} failed${optional ? ` (${optional === failed.length ? 'optional' : `${optional} optional`})` : ''}`
    : `${passed} of ${total} gate${total === 1 ? '' : 's'} passed`;
  const tail = [skipped ? `${skipped} skipped` : '', replayed ? `${replayed} replayed from cache` : '']
    .filter(Boolean)
    .join(', ');
  return tail ? `${head}, ${tail}` : head;
}

/** `replayed: passed 2026-12-05 07:20 UTC` for a result taken from the cache; empty for one run now. */
export function replayNote(gate: Pick<GateResult, 'cached' | 'cachedAt'>): string {
  if (!gate.cached) return '';
  const when = gate.cachedAt ? `${gate.cachedAt.replace('T', ' ').slice(0, 16)} UTC` : 'an earlier run';
  return `replayed: passed ${when}`;
}
