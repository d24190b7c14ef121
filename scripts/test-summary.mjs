// Prints the plain closing line CI reads ("N passed, N failed, N skipped") from Vitest's JSON report.
import { existsSync, readFileSync } from 'node:fs';

const file = new URL('../.opsbook-test/vitest.json', import.meta.url);
if (!existsSync(file)) {
  console.error('no Vitest JSON report at .opsbook-test/vitest.json');
  process.exit(1);
}
const r = JSON.parse(readFileSync(file, 'utf8'));
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
if (r.numTotalTests === 0) process.exit(1);
