/**
 * An email channel whose TLS mode does not match its port never sends: each page fails with a TLS error (or waits
 * out the greeting timeout) and is retried for hours with a cause nobody can read from the log.
 */
import { entries, obj } from '../raw.js';
import { defineRule } from './rule.js';

const PLAIN_PORTS = new Set([25, 587, 2525]);

export const smtpTlsPort = defineRule({
  code: 'config/smtp-tls-port',
  check({ config, report }) {
    for (const [name, channel] of entries(config.channels)) {
      if (channel.type !== 'email') continue;
      const smtp = obj(channel.smtp);
      const port = typeof smtp.port === 'number' ? smtp.port : 587;
      if (smtp.secure === true && PLAIN_PORTS.has(port))
        report({
          severity: 'warning',
          message: `channel ${name}: port ${port} starts in plain text (STARTTLS), but secure: true expects TLS from the first byte, so every mail fails with a TLS error`,
          hint: 'remove secure: true (STARTTLS is used when the server offers it), or use port: 465',
          path: ['channels', name, 'smtp', 'secure'],
        });
      if (smtp.secure !== true && port === 465)
        report({
          severity: 'warning',
          message: `channel ${name}: port 465 expects TLS from the first byte, but secure is false, so every mail waits for a greeting that never comes`,
          hint: 'add secure: true, or use port: 587',
          path: ['channels', name, 'smtp', 'port'],
        });
    }
  },
});
