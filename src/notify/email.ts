/** The email channel: a plain-text message per notification, through the SMTP server in the config. */
import type { Channel } from '../config/index.js';
import { resolveSecret } from './secret.js';
import { sendMail } from './smtp.js';
import type { ChannelContext, Notification } from './types.js';

type EmailChannel = Extract<Channel, { type: 'email' }>;

export function emailText(n: Notification): string {
  const lines = [n.text, ''];
  for (const [k, v] of Object.entries(n.fields ?? {})) lines.push(`${k}: ${v}`);
  for (const a of n.alert?.alerts ?? []) {
    lines.push(
      `${a.status.toUpperCase()} since ${a.startsAt}${a.status === 'resolved' ? ` until ${a.endsAt}` : ''}`,
    );
    for (const [k, v] of Object.entries(a.labels)) lines.push(`  ${k}: ${v}`);
  }
  lines.push('', `-- opsbook, ${n.at}`);
  return lines.join('\n').replace(/^\n+/, '');
}

export async function sendEmail(name: string, channel: EmailChannel, n: Notification, ctx: ChannelContext) {
  const password = channel.smtp.password
    ? resolveSecret(channel.smtp.password, ctx.env, ctx.redactor, `channel ${name}`)
    : undefined;
  await sendMail(
    {
      host: channel.smtp.host,
      port: channel.smtp.port,
      secure: channel.smtp.secure,
      ...(channel.smtp.user ? { user: channel.smtp.user } : {}),
      ...(password !== undefined ? { password } : {}),
    },
    {
      from: channel.from,
      to: n.to?.length ? n.to : channel.to,
      subject: n.title,
      text: emailText(n),
      ...(n.id ? { messageId: `<${n.id.replace(/[^A-Za-z0-9.-]+/g, '.')}@opsbook>` } : {}),
      headers: { 'X-Opsbook-Event': n.event },
    },
    ctx.signal,
  );
}
