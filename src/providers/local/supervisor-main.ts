// Entry of the detached supervisor process: `node supervisor-main.js <stack dir>`, started by control-client.ts.
import { runSupervisor } from './supervisor.js';

const stackDir = process.argv[2];
if (!stackDir) {
  process.stderr.write('usage: supervisor-main <stack dir>\n');
  process.exit(2);
}
process.on('uncaughtException', (error) => {
  process.stderr.write(`supervisor: ${new Date().toISOString()} uncaught: ${error.stack ?? error.message}\n`);
  process.kill(process.pid, 'SIGTERM');
});
const started = await runSupervisor(stackDir);
process.stderr.write(
  started
    ? `supervisor: ${new Date().toISOString()} stopped\n`
    : 'supervisor: another supervisor runs for this stack\n',
);
process.exit(0);
