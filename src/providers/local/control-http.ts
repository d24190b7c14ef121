/**
 * One request to the supervisor's control API over node:http. The supervisor only ever listens on loopback, so the
 * control client needs nothing of fetch: loading undici (what the global fetch is built on) cost a CLI deploy ~50 ms
 * of CPU before its first provider call. A fresh connection per request (connecting on loopback costs microseconds)
 * means a retried request never lands on a socket the supervisor closed meanwhile.
 */
import http from 'node:http';

/** Nothing answered: the supervisor is not running (any more) or its connection broke. */
export class SupervisorUnreachable extends Error {
  override name = 'SupervisorUnreachable';
}

export interface ControlAnswer {
  status: number;
  text: string;
}

export function controlRequest(
  port: number,
  token: string,
  method: 'GET' | 'POST',
  path: string,
  body: string | undefined,
  signal: AbortSignal,
): Promise<ControlAnswer> {
  signal.throwIfAborted();
  return new Promise((resolve, reject) => {
    const fail = (error: Error) =>
      reject(signal.aborted ? signal.reason : new SupervisorUnreachable(error.message, { cause: error }));
    const req = http.request({
      host: '127.0.0.1',
      port,
      path,
      method,
      agent: false,
      signal,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        ...(body === undefined ? {} : { 'content-length': Buffer.byteLength(body) }),
      },
    });
    req.once('error', fail);
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.once('error', fail);
      res.once('end', () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.end(body);
  });
}
