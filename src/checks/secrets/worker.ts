/** Worker-thread entry: compiles the rule set once, then scans batches of tasks sent by the pool. */
import { workerData } from 'node:worker_threads';
import { serveBatches } from '../../workers/index.js';
import { compileRuleSet } from './compile.js';
import { runTask, type ScanTask } from './task.js';
import type { RuleSet } from './types.js';

interface WorkerInit {
  ruleSet: RuleSet;
  maxBytes: number;
}

const init = workerData as WorkerInit;
const set = compileRuleSet(init.ruleSet);
serveBatches((tasks: ScanTask[]) => tasks.map((task) => runTask(set, task, init.maxBytes)));
