// Loopback receivers for channel tests: an HTTP endpoint that records requests and a real SMTP server (smtp-server).
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface HttpReceiver {
  url: string;
  received: { path: string; headers: IncomingHttpHeaders; body: string }[];
  /** Statuses to answer with, in order; 200 (or 202) once they run out. */
  statuses: number[];
  close(): Promise<void>;
}

export async function startHttpReceiver(defaultStatus = 200): Promise<HttpReceiver> {
  const received: HttpReceiver['received'] = [];
  const statuses: number[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      received.push({ path: req.url ?? '/', headers: req.headers, body });
      res.statusCode = statuses.shift() ?? defaultStatus;
      res.setHeader('content-type', 'application/json');
      res.end('{"status":"success"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    statuses,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  messageId: string;
  body: string;
}

export interface SmtpReceiver {
  port: number;
  mails: ReceivedMail[];
  /** SMTP reply codes to reject the next messages with (e.g. 451 temporary, 550 permanent). */
  rejections: number[];
  close(): Promise<void>;
}

const header = (head: string, name: string) =>
  new RegExp(`^${name}:\\s*(.*(?:\\r\\n[ \\t].*)*)`, 'im').exec(head)?.[1]?.replace(/\r\n[ \t]+/g, ' ') ?? '';

export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const mails: ReceivedMail[] = [];
  const rejections: number[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (d: string) => (raw += d));
      stream.on('end', () => {
        const code = rejections.shift();
        if (code) {
          callback(Object.assign(new Error(`rejected with ${code}`), { responseCode: code }));
          return;
        }
        const split = raw.indexOf('\r\n\r\n');
        const head = raw.slice(0, split);
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: header(head, 'Subject'),
          messageId: header(head, 'Message-ID'),
          body: raw.slice(split + 4),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    mails,
    rejections,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
