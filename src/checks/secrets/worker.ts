/** Worker-thread entry: compiles the rule set once, then scans batches sent by the pool. */
import { poolData, serveBatches } from '../../workers/serve-batches.js';
import { type CompiledRuleSet, compileRuleSet } from './compile.js';
import { runBatch, type ScanBatch } from './task.js';
import type { RuleSet } from './types.js';

export interface ScanWorkerData {
  ruleSet: RuleSet;
  maxBytes: number;
}

// Given at start, or after it when the worker was started before the rules were loaded (threads.ts). Compiled as
// soon as it comes, while the first batch is on its way.
let set: CompiledRuleSet | undefined;
const data = poolData<ScanWorkerData>().then((init) => {
  set = compileRuleSet(init.ruleSet);
  return init;
});
serveBatches(async (batch: ScanBatch) => {
  const { maxBytes } = await data;
  return runBatch(set as CompiledRuleSet, batch, maxBytes);
});
