/** Pre-deploy gates: the runbook's checklist as parallel, cached, evidence-keeping checks. */
export { renderMarkdown } from './report.js';
export {
  type CheckResult,
  checkConfirmed,
  type RunChecksOptions,
  runChecks,
  selectGates,
} from './run-gates.js';
export { countLine, replayNote } from './summary.js';
export type { GateContext, GateOutcome, GateResult } from './types.js';
