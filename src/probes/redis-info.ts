/** Redis INFO (memory, stats, clients) in raw RESP, for `opsbook doctor`: the one bulk reply the PING probe never reads. */
import { connect as connectTcp, isIP, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { printable } from './conditions.js';
import { encodeCommand, parseRedisUrl } from './redis.js';

const MAX_REPLY = 256 * 1024;

/** The INFO fields, or why they could not be read. */
export function readRedisInfo(
  url: string,
  signal: AbortSignal,
  timeoutMs = 5_000,
): Promise<Record<string, string> | string> {
  const address = parseRedisUrl(url);
  if (typeof address === 'string') return Promise.resolve(address);
  const commands: string[][] = [];
  if (address.password)
    commands.push(
      address.username ? ['AUTH', address.username, address.password] : ['AUTH', address.password],
    );
  commands.push(['INFO']);
  const stop = AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
  return new Promise((resolve) => {
    const socket: Socket = address.tls
      ? connectTls({
          host: address.host,
          port: address.port,
          ...(isIP(address.host) ? {} : { servername: address.host }),
        })
      : connectTcp({ host: address.host, port: address.port });
    let buffered = Buffer.alloc(0);
    let skipped = 0;
    const finish = (result: Record<string, string> | string) => {
      stop.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(result);
    };
    const onAbort = () => finish('timed out or aborted');
    stop.addEventListener('abort', onAbort, { once: true });
    socket.once(address.tls ? 'secureConnect' : 'connect', () =>
      socket.write(commands.map(encodeCommand).join('')),
    );
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length > MAX_REPLY) return finish('the INFO reply is too large');
      // AUTH answers +OK first.
      while (skipped < commands.length - 1) {
        const end = buffered.indexOf('\r\n');
        if (end < 0) return;
        const line = buffered.subarray(0, end).toString();
        if (line.startsWith('-')) return finish(`redis answered: ${printable(line.slice(1))}`);
        buffered = buffered.subarray(end + 2);
        skipped++;
      }
      const head = buffered.indexOf('\r\n');
      if (head < 0) return;
      const first = buffered.subarray(0, head).toString();
      if (first.startsWith('-')) return finish(`redis answered: ${printable(first.slice(1))}`);
      if (!first.startsWith('$')) return finish('unexpected reply: is this a Redis server?');
      const length = Number(first.slice(1));
      if (buffered.length < head + 2 + length) return;
      const text = buffered.subarray(head + 2, head + 2 + length).toString('utf8');
      const fields: Record<string, string> = {};
      for (const line of text.split('\r\n')) {
        const colon = line.indexOf(':');
        if (colon > 0 && !line.startsWith('#')) fields[line.slice(0, colon)] = line.slice(colon + 1);
      }
      finish(fields);
    });
    socket.on('error', (e) => finish(e.message));
  });
}
