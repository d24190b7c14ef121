/** The only module that touches nodemailer: one message over SMTP, its failures sorted into retryable or not. */
import { RetryableError } from './http.js';

export interface SmtpServer {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  user?: string;
  password?: string;
}

export interface MailMessage {
  from: string;
  to: string[];
  subject: string;
  text: string;
  /** A stable Message-ID lets mail clients fold a repeated delivery into one. */
  messageId?: string;
  headers?: Record<string, string>;
}

export async function sendMail(server: SmtpServer, message: MailMessage, signal: AbortSignal): Promise<void> {
  // Loaded on first use: a deploy or a command that sends no mail does not load nodemailer (41 modules, 670 KB).
  const { default: nodemailer } = await import('nodemailer');
  const transport = nodemailer.createTransport({
    host: server.host,
    port: server.port,
    secure: server.secure,
    ...(server.user ? { auth: { user: server.user, pass: server.password ?? '' } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  const abort = () => transport.close();
  signal.addEventListener('abort', abort, { once: true });
  try {
    await transport.sendMail({
      from: message.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      ...(message.messageId ? { messageId: message.messageId } : {}),
      ...(message.headers ? { headers: message.headers } : {}),
    });
  } catch (error) {
    throw classify(error as Error & { code?: string; responseCode?: number });
  } finally {
    signal.removeEventListener('abort', abort);
    transport.close();
  }
}

/** 5xx replies, refused credentials and bad addresses will fail again; the rest (network, 4xx) may not. */
function classify(error: Error & { code?: string; responseCode?: number }): Error {
  const reply = error.responseCode ? ` (SMTP ${error.responseCode})` : '';
  const message = `${error.message}${reply}`;
  const permanent =
    (error.responseCode !== undefined && error.responseCode >= 500) ||
    error.code === 'EAUTH' ||
    error.code === 'EENVELOPE';
  return permanent ? new Error(message) : new RetryableError(message);
}
