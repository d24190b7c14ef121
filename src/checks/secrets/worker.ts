/** Worker-thread entry: compiles the rule set once, then scans batches of tasks sent by the pool. */
import { parentPort, workerData } from 'node:worker_threads';
import { compileRuleSet } from './compile.js';
import { runTask, type ScanTask } from './task.js';
import type { RuleSet } from './types.js';

interface WorkerInit {
  ruleSet: RuleSet;
  maxBytes: number;
}

const init = workerData as WorkerInit;
const set = compileRuleSet(init.ruleSet);
parentPort?.postMessage({ ready: true });

parentPort?.on('message', (message: { id: number; tasks: ScanTask[] }) => {
  const results = message.tasks.map((task) => runTask(set, task, init.maxBytes));
  parentPort?.postMessage({ id: message.id, results });
});
