import { describe, expect, it } from 'vitest';
import { initFixture } from '../../test/support/init/fixture.js';
import { parseEnvExample } from './detect-env-example.js';

describe('parseEnvExample', () => {
  it('reads every variable with the comment above it as its description', () => {
    const vars = parseEnvExample(
      ['# Where the API listens', 'PORT=8000', '', 'export LOG_LEVEL="info" # inline'].join('\n'),
    );
    expect(vars).toEqual([
      {
        name: 'PORT',
        secret: false,
        required: true,
        description: 'Where the API listens',
        default: '8000',
        format: 'port',
      },
      { name: 'LOG_LEVEL', secret: false, required: true, default: 'info' },
    ]);
  });

  it('marks secrets by name and never copies their values', () => {
    const vars = parseEnvExample(
      [
        'STRIPE_SECRET_KEY=sk_test_abc123',
        'DATABASE_URL=postgres://app:hunter2@localhost:5432/app',
        'JWT_SECRET=dev',
      ].join('\n'),
    );
    for (const v of vars) {
      expect(v.secret, v.name).toBe(true);
      expect(v.default, v.name).toBeUndefined();
      expect(v.example, v.name).toBeUndefined();
    }
    expect(vars.find((v) => v.name === 'DATABASE_URL')?.url).toBe(true);
  });

  it('treats a value that looks like a credential as secret whatever the name', () => {
    const [v] = parseEnvExample('UPSTREAM=ghp_0123456789abcdefABCDEF0123456789abcd');
    expect(v).toEqual({ name: 'UPSTREAM', secret: true, required: true });
  });

  it('keeps placeholders as examples and commented-out lines as optional', () => {
    const vars = parseEnvExample(
      ['API_BASE=your-api-base-here', '# Enables tracing', '# TRACE_SAMPLE_RATE=0.1'].join('\n'),
    );
    expect(vars).toEqual([
      { name: 'API_BASE', secret: false, required: true, example: 'your-api-base-here' },
      {
        name: 'TRACE_SAMPLE_RATE',
        secret: false,
        required: false,
        description: 'Enables tracing',
        example: '0.1',
      },
    ]);
  });

  it('does not take section rulers or comments that hold a key as descriptions', () => {
    const vars = parseEnvExample(
      ['# ===== Payments =====', '# e.g. sk_live_51Habcdefghijklmnop', 'STRIPE_KEY='].join('\n'),
    );
    expect(vars).toEqual([{ name: 'STRIPE_KEY', secret: true, required: true }]);
  });
});

describe('init with a .env.example', () => {
  it('attaches the variables to the services at its root and the config validates', async () => {
    const { config } = await initFixture({
      Procfile: 'web: node server.js\nworker: node jobs.js\n',
      '.env.example': '# Public URL of the app\nAPP_URL=https://example.com\nOPENAI_API_KEY=\n',
    });
    for (const service of ['web', 'worker'])
      expect(config.services[service]?.env).toMatchObject({
        APP_URL: {
          default: 'https://example.com',
          url: true,
          secret: false,
          description: 'Public URL of the app',
        },
        OPENAI_API_KEY: { secret: true, required: true },
      });
    expect(config.services.web?.env.OPENAI_API_KEY?.default).toBeUndefined();
  });

  it('assumes a web service when no service runs at its folder', async () => {
    const { detection, config } = await initFixture({
      'backend/.env.example': 'REDIS_URL=redis://localhost:6379\n',
    });
    expect(config.services.backend).toMatchObject({ kind: 'web', env: { REDIS_URL: { secret: true } } });
    expect(detection.diagnostics.map((d) => d.code)).toContain('init/assumed-service');
  });
});
