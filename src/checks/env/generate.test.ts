import { describe, expect, it } from 'vitest';
import { CONFIG } from '../../../test/support/checks/env/fixture.js';
import { validateConfigText } from '../../config/validate.js';
import { servicesToDescribe } from './describe.js';
import { renderEnvDocs } from './docs.js';
import { parseDotenv } from './dotenv.js';
import { renderEnvExample } from './example.js';

const config = validateConfigText(CONFIG, 'opsbook.yaml').config!;

describe('renderEnvExample', () => {
  const text = renderEnvExample(servicesToDescribe(config), 'opsbook.yaml');
  const values = new Map(parseDotenv(text, '.env.example').entries.map((e) => [e.key, e.value]));

  it('is a valid dotenv file with every contract key once', () => {
    expect(parseDotenv(text, '.env.example').diagnostics).toEqual([]);
    const keys = Object.values(config.services).flatMap((s) => Object.keys(s.env));
    expect([...values.keys()].sort()).toEqual([...new Set(keys)].sort());
  });

  it('fills in examples and defaults, leaves secrets and platform references empty', () => {
    expect(values.get('ADMIN_EMAIL')).toBe('admin@kamiyo.ai');
    expect(values.get('LOG_LEVEL')).toBe('INFO');
    expect(values.get('NEXTAUTH_SECRET')).toBe('');
    expect(values.get('REDIS_URL')).toBe('');
  });

  it('describes each variable above it, grouped by service', () => {
    expect(text).toContain('# ---- web ----');
    expect(text).toMatch(
      /# NextAuth session signing secret \(required; secret: .*; at least 32 characters\)\nNEXTAUTH_SECRET=\n/,
    );
    expect(text).toMatch(/\(optional; matches \/\^v.*\/\)\nRELEASE_TAG=/);
    expect(text).toContain('(required in production)\nSENTRY_DSN=');
  });

  it('renders one service when asked, and names the alternatives for an unknown one', () => {
    expect(renderEnvExample(servicesToDescribe(config, undefined, 'web'), 'opsbook.yaml')).not.toContain(
      'JWT_SECRET',
    );
    expect(() => servicesToDescribe(config, undefined, 'wbe')).toThrow(/unknown service 'wbe'/);
  });
});

describe('renderEnvDocs', () => {
  const text = renderEnvDocs(servicesToDescribe(config), 'kamiyo', 'opsbook.yaml');

  it('has the runbook table per service with required, secret, default and description', () => {
    expect(text).toContain('## api\n\n| Variable | Required | Secret | Default | Description |');
    expect(text).toContain('| `LOG_LEVEL` | yes | no | `INFO` | (one of: DEBUG, INFO, WARNING, ERROR) |');
    expect(text).toContain(
      '| `NEXTAUTH_SECRET` | yes | yes |  | NextAuth session signing secret (at least 32 characters) |',
    );
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Railway reference in the expected text
    expect(text).toContain('| `REDIS_URL` | yes | no | from `${{Redis.REDIS_URL}}` |');
    expect(text).toContain('| `SENTRY_DSN` | production | no |');
  });

  it('escapes pipes so a description cannot break the table', () => {
    expect(text).toContain('Allowed origins \\| comma-separated');
    for (const row of text.split('\n').filter((l) => l.startsWith('| `')))
      expect(row.replace(/\\\|/g, '').split('|').length).toBe(7);
  });
});
