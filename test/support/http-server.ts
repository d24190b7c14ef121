// Loopback HTTP(S) servers for probe tests, and a self-signed certificate made with the openssl CLI.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface TestServer {
  url: string;
  /** Requests received so far. */
  readonly requests: IncomingMessage[];
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1:0; with `tls`, an https server with that key and certificate. */
export async function startServer(
  handler: Handler,
  tls?: { key: string; cert: string },
): Promise<TestServer> {
  const requests: IncomingMessage[] = [];
  const wrapped: Handler = (req, res) => {
    requests.push(req);
    handler(req, res);
  };
  const server = tls ? https.createServer(tls, wrapped) : http.createServer(wrapped);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** A port nothing listens on: bound, then released. */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A self-signed certificate for 127.0.0.1 valid for `days`, made at test time (no key is committed). */
export function selfSignedCertificate(days: number): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'opsbook-cert-'));
  try {
    const subject = '-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1';
    const args = `req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes ${subject}`.split(' ');
    const files = ['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')];
    execFileSync('openssl', [...args, ...files, '-days', String(days)], { stdio: 'ignore' });
    return {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A certificate for 127.0.0.1 that expired in 2020, signed by itself with `openssl ca` (req cannot backdate). */
export function expiredCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'opsbook-cert-'));
  try {
    const at = (f: string) => join(dir, f);
    writeFileSync(at('index.txt'), '');
    writeFileSync(at('serial'), '01\n');
    writeFileSync(
      at('ca.cnf'),
      [
        '[ca]',
        'default_ca = d',
        '[d]',
        `database = ${at('index.txt')}`,
        `new_certs_dir = ${dir}`,
        `serial = ${at('serial')}`,
        'default_md = sha256',
        'policy = p',
        'x509_extensions = ext',
        '[p]',
        'commonName = supplied',
        '[ext]',
        'subjectAltName = IP:127.0.0.1',
        '',
      ].join('\n'),
    );
    const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    execFileSync(
      'openssl',
      ['req', '-new', ...newKey, '-subj', '/CN=127.0.0.1', '-keyout', at('key.pem'), '-out', at('req.csr')],
      { stdio: 'ignore' },
    );
    const dates = ['-startdate', '20200101000000Z', '-enddate', '20200201000000Z'];
    execFileSync(
      'openssl',
      [
        'ca',
        '-batch',
        '-config',
        at('ca.cnf'),
        '-selfsign',
        '-keyfile',
        at('key.pem'),
        '-in',
        at('req.csr'),
        '-out',
        at('cert.pem'),
        ...dates,
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(at('key.pem'), 'utf8'), cert: readFileSync(at('cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
