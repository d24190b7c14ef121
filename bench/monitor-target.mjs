// The target for `npm run bench:monitor`, in its own process so its CPU is not counted as the monitor's.
// Answers every path with a small health JSON; prints its port on stdout.
import http from 'node:http';

const body = JSON.stringify({ status: 'healthy', services: { database: 'healthy' } });
const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
process.on('disconnect', () => process.exit(0));
