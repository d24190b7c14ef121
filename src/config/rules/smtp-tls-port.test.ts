import { describe, expect, it } from 'vitest';
import { validateConfigText } from '../validate.js';

const found = (smtp: string) =>
  validateConfigText(
    `name: s\nservices:\n  api: { kind: web }\nchannels:\n  mail: { type: email, to: [ops@example.com], from: bot@example.com, smtp: ${smtp} }\n`,
    'opsbook.yaml',
  ).diagnostics.filter((d) => d.code === 'config/smtp-tls-port');

describe('config/smtp-tls-port', () => {
  it('warns about TLS from the first byte on a STARTTLS port, the default 587 included', () => {
    for (const smtp of ['{ host: smtp.example.com, secure: true }', '{ host: h, port: 25, secure: true }'])
      expect(found(smtp)).toMatchObject([
        {
          severity: 'warning',
          message: expect.stringMatching(
            /^channel mail: port (587|25) starts in plain text \(STARTTLS\), but secure: true/,
          ),
          hint: 'remove secure: true (STARTTLS is used when the server offers it), or use port: 465',
        },
      ]);
  });

  it('warns about port 465 without secure, and says nothing of the matching pairs', () => {
    expect(found('{ host: h, port: 465 }')).toMatchObject([
      { message: expect.stringContaining('port 465 expects TLS from the first byte, but secure is false') },
    ]);
    expect(found('{ host: h, port: 465, secure: true }')).toEqual([]);
    expect(found('{ host: h, port: 587 }')).toEqual([]);
    expect(found('{ host: h }')).toEqual([]);
  });
});
