// The target for the monitoring benchmarks, in its own process so its CPU is not counted as the monitor's.
// Answers every path with a small health JSON and prints its port on stdout. With an interval (ms) as argv[2] it
// also records when each path was asked, and answers an IPC 'report' with the interval error: how far each gap
// between two checks of one path was from the interval, measured from outside the monitor.
import http from 'node:http';

const intervalMs = Number(process.argv[2] ?? 0);
const last = new Map();
const errors = [];
let requests = 0;
const body = JSON.stringify({ status: 'healthy', services: { database: 'healthy' } });
const server = http.createServer((req, res) => {
  requests++;
  if (intervalMs) {
    const now = performance.now();
    const before = last.get(req.url);
    if (before !== undefined) errors.push(Math.abs(now - before - intervalMs));
    last.set(req.url, now);
  }
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = 30_000;
// The kernel's limit (net.core.somaxconn) rather than Node's default of 511 pending connections: at 2,000 fresh
// connections a second, a target busy for a quarter of a second (2 cores shared with the monitor, PostgreSQL and a
// scrape) overflowed 511 and the kernel dropped SYNs, which the monitor's TCP resent one and three seconds later.
// Those seconds were the target's, not the monitor's: 1,622 resent SYNs in one 45 s run at 20,000 monitors @ 10 s
// made its p99 interval error 1.3 s (nstat TcpExtTCPSynRetrans; the monitor's own start lag p99 was under 70 ms).
server.listen({ port: 0, host: '127.0.0.1', backlog: 65_535 }, () =>
  process.stdout.write(`${server.address().port}\n`),
);
process.on('message', (message) => {
  if (message === 'reset') {
    errors.length = 0;
    requests = 0;
    return;
  }
  if (message !== 'report') return;
  errors.sort((a, b) => a - b);
  const q = (p) =>
    errors.length ? errors[Math.min(errors.length - 1, Math.floor(p * errors.length))] : null;
  process.send?.({ requests, paths: last.size, gaps: errors.length, p50: q(0.5), p99: q(0.99), max: q(1) });
});
process.on('disconnect', () => process.exit(0));
