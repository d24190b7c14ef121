import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineOf, PRODUCTION, SECRETS, writeFixture } from '../../test/support/checks/env/fixture.js';
import {
  DATABASE_URL,
  PLATFORM_VALUES,
  type ProviderStack,
  startProviderStack,
  TOKENS,
} from '../../test/support/checks/env/provider-fixture.js';
import { type CommandValues, commandInput } from '../../test/support/command-input.js';
import { createOutput, type OutputMode } from '../output/index.js';
import { run } from './env.js';
import { ENV_ARGS } from './specs-release.js';

let cwd: string;
beforeAll(async () => {
  cwd = await writeFixture();
});
afterAll(() => rm(cwd, { recursive: true, force: true }));

/** Runs the handler and prints its outcome the way main.ts does, into buffers. */
async function runEnv(
  positionals: string[],
  values: CommandValues<typeof ENV_ARGS> = {},
  mode: OutputMode = 'plain',
  env: NodeJS.ProcessEnv = {},
  dir = cwd,
) {
  const chunks = { out: '', err: '' };
  const out = createOutput({
    mode,
    stdout: { write: (s: string) => (chunks.out += s) },
    stderr: { write: (s: string) => (chunks.err += s) },
    env: {},
  });
  const outcome = await run(commandInput(ENV_ARGS, { values, positionals, cwd: dir, out, env }));
  if (mode === 'json')
    out.json({ ok: outcome.ok, command: 'env', data: outcome.data, diagnostics: outcome.diagnostics ?? [] });
  else {
    outcome.print?.(out);
    if (outcome.diagnostics?.length) out.diagnostics(outcome.diagnostics);
  }
  return { outcome, text: chunks.out + chunks.err, out };
}

const planted = Object.values(SECRETS);
/** The process environment of a CI job holding the production secrets. */
const processEnv = {
  NEXTAUTH_SECRET: SECRETS.nextauth,
  JWT_SECRET: SECRETS.jwt,
  SESSION_KEY: SECRETS.session,
  API_SIGNING_KEY: SECRETS.signing,
  OLD_API_TOKEN: SECRETS.oldToken,
  DATABASE_URL: `postgres://app:${SECRETS.dbPassword}@db.kamiyo.ai/app`,
};

describe.each(['plain', 'json'] as const)('opsbook env in %s mode', (mode) => {
  it.each([
    ['check from the envFile', ['check'], {}],
    ['check from the process', ['check'], { from: 'process' }],
    ['diff against staging', ['diff'], { against: 'file:.env.staging' }],
    ['diff from the process', ['diff'], { from: 'process', against: 'file:.env.production' }],
  ] as const)(
    '%s shows no secret value anywhere, and needs no redaction to get there',
    async (_, positionals, flags) => {
      const { outcome, text, out } = await runEnv([...positionals], { ...flags }, mode, processEnv);
      expect(text.length).toBeGreaterThan(50);
      for (const secret of planted) {
        expect(text).not.toContain(secret);
        // The messages themselves hold no values: the redactor is a safety net, not the mechanism.
        expect(JSON.stringify(outcome)).not.toContain(secret);
      }
      expect(text).not.toContain('[REDACTED]');
      // Every secret read was registered before printing, so a future message that quoted one would be masked.
      expect(out.redactor.redact(`x ${SECRETS.session} y`)).toBe('x [REDACTED] y');
      expect(out.redactor.redact(SECRETS.dbPassword)).toBe('[REDACTED]');
    },
  );
});

describe('opsbook env', () => {
  it('check prints each problem at its env file line and fails', async () => {
    const { outcome, text } = await runEnv(['check']);
    expect(outcome.ok).toBe(false);
    expect(text).toContain(
      `.env.production:${lineOf(PRODUCTION, 'JWT_SECRET')} (services.api.env.JWT_SECRET): error`,
    );
    expect(text).toContain('[env/weak-secret]');
    expect(text).toContain('env contract broken');
  });

  it('diff lists missing, extra and changed keys', async () => {
    const { outcome, text } = await runEnv(['diff'], { against: 'file:.env.staging' });
    expect(outcome.ok).toBe(false);
    expect(text).toMatch(/missing\s+RESEND_API_KEY\s+required by api/);
    expect(text).toMatch(/extra\s+OLD_API_TOKEN/);
    expect(text).toMatch(/changed\s+JWT_SECRET/);
  });

  it('names the subcommands when none or an unknown one is given', async () => {
    await expect(runEnv([])).rejects.toMatchObject({ hint: expect.stringContaining('opsbook env check') });
    await expect(runEnv(['chek'])).rejects.toMatchObject({ message: "unknown env subcommand 'chek'" });
  });

  it('example --write writes .env.example beside the config; docs --write writes the given file', async () => {
    const example = await runEnv(['example'], { write: true });
    expect(example.text).toContain('wrote .env.example');
    expect(readFileSync(join(cwd, '.env.example'), 'utf8')).toContain('NEXTAUTH_SECRET=\n');
    await runEnv(['docs', 'ENV.md'], { write: true });
    expect(readFileSync(join(cwd, 'ENV.md'), 'utf8')).toContain(
      '| Variable | Required | Secret | Default | Description |',
    );
    await expect(runEnv(['docs'], { write: true })).rejects.toThrow(/needs a file/);
  });

  it('example and docs print to stdout without --write', async () => {
    const { text } = await runEnv(['example'], { service: 'web' });
    expect(text).toContain('NEXT_PUBLIC_API_URL=');
    expect(text).not.toContain('JWT_SECRET');
  });
});

describe('opsbook env --from provider (Render and Vercel fakes on loopback)', () => {
  let stack: ProviderStack;
  beforeAll(async () => {
    stack = await startProviderStack();
  });
  afterAll(() => stack.close());

  const readValues = [...Object.values(PLATFORM_VALUES), DATABASE_URL];

  it.each([
    ['check', {}],
    ['diff', {}],
    ['diff', { against: 'file:.env.production' }],
  ] as const)(
    '%s %o shows neither the API tokens nor any value read, in plain or json mode',
    async (sub, flags) => {
      for (const mode of ['plain', 'json'] as const) {
        const { outcome, text, out } = await runEnv(
          [sub],
          { from: 'provider', ...flags },
          mode,
          stack.env,
          stack.cwd,
        );
        expect(outcome.ok).toBe(false);
        expect(text.length).toBeGreaterThan(50);
        for (const secret of [...Object.values(TOKENS), ...readValues]) expect(text).not.toContain(secret);
        expect(text).not.toContain('[REDACTED]');
        // The tokens were registered as the providers read them: a message quoting one would be masked.
        expect(out.redactor.redact(TOKENS.render)).toBe('[REDACTED]');
        expect(out.redactor.redact(TOKENS.vercel)).toBe('[REDACTED]');
      }
    },
  );

  it('check prints the problems of each service and why some were not read', async () => {
    const { text } = await runEnv(['check'], { from: 'provider' }, 'plain', stack.env, stack.cwd);
    expect(text).toContain("from each service's platform");
    expect(text).toMatch(/RESEND_API_KEY \(api\) is required in production but not set/);
    expect(text).toContain('set RESEND_API_KEY on Render for api');
    expect(text).toMatch(/NEXTAUTH_SECRET \(web\) is set on Vercel for web \(value not readable/);
    expect(text).toContain('worker was not checked against a platform');
  });

  it('diff prints a row per service and key', async () => {
    const { text } = await runEnv(
      ['diff'],
      { from: 'provider', against: 'file:.env.production' },
      'plain',
      stack.env,
      stack.cwd,
    );
    expect(text).toMatch(/api\s+changed\s+DATABASE_URL\s+values differ \(by hash\)/);
    expect(text).toMatch(/api\s+extra\s+OLD_API_TOKEN\s+on Render \(api\)/);
    expect(text).toMatch(/web\s+not readable\s+NEXTAUTH_SECRET\s+set \(value not readable\)/);
    expect(text).toMatch(/missing\s+STRIPE_SECRET_KEY\s+required by web/);
  });
});
