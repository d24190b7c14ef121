// A tiny release for the local provider's tests: answers its version, has /ready, and can be told to misbehave.
//   FAIL_START=1   exits at once with an error line      FAIL_READY=1   never ready
//   READY_DELAY_MS ready only after that long              PID_DIR        writes <PID_DIR>/<version>.pid
//   PRINT_VAR=NAME prints NAME=<its value>                GET /?delay=MS answers after MS (in flight across a switch)
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';

const version = process.env.APP_VERSION ?? 'dev';
const port = Number(process.env.PORT);
if (process.env.PID_DIR) writeFileSync(join(process.env.PID_DIR, `${version}.pid`), String(process.pid));
const say = (line) => process.stdout.write(`${line}\n`);
say(`starting ${version}`);
if (process.env.PRINT_VAR) say(`${process.env.PRINT_VAR}=${process.env[process.env.PRINT_VAR]}`);
if (process.env.FAIL_START === '1') {
  process.stderr.write(`boom: ${version} cannot start\n`);
  process.exit(1);
}
const readyAt = Date.now() + Number(process.env.READY_DELAY_MS ?? 0);

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://app');
  if (url.pathname === '/ready') {
    const ready = process.env.FAIL_READY !== '1' && Date.now() >= readyAt;
    res.writeHead(ready ? 200 : 503, { 'content-type': 'text/plain' });
    res.end(ready ? 'ready' : 'not ready');
    return;
  }
  setTimeout(
    () => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(version);
    },
    Number(url.searchParams.get('delay') ?? 0),
  );
});
server.listen(port, '127.0.0.1', () => say(`listening on ${port} as ${version}`));
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
});
