// A separate `migrate up` process for the concurrency and crash tests: options as JSON in argv[2], result on stdout.
import { migrateUp } from '../../../src/migrations/index.js';

const options = JSON.parse(process.argv[2] ?? '{}');
const result = await migrateUp(options);
process.stdout.write(
  `${JSON.stringify({ ok: result.ok, applied: result.applied, diagnostics: result.diagnostics })}\n`,
);
process.exitCode = result.ok ? 0 : 1;
