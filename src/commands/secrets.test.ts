import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFaker, plantEveryRule } from '../../test/support/checks/secrets/fake-keys.js';
import { removeTree, writeTree } from '../../test/support/checks/secrets/tree.js';
import { type CommandValues, commandInput } from '../../test/support/command-input.js';
import { UserError } from '../errors.js';
import { createOutput, type OutputMode } from '../output/index.js';
import { run } from './secrets.js';
import { SECRETS_ARGS } from './specs-release.js';
import type { CommandOutcome } from './types.js';

const plants = plantEveryRule(createFaker());

/** Runs the handler the way main.ts does, with stdout and stderr captured. */
async function runCommand(
  dir: string,
  mode: OutputMode,
  positionals: string[],
  values: CommandValues<typeof SECRETS_ARGS> = {},
) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const out = createOutput({
    mode,
    env: {},
    stdout: { write: (s: string) => stdout.push(s) },
    stderr: { write: (s: string) => stderr.push(s) },
  });
  const outcome: CommandOutcome = await run(
    commandInput(SECRETS_ARGS, { values, positionals, cwd: dir, out }),
  );
  if (mode === 'json')
    out.json({ ok: outcome.ok, data: outcome.data, diagnostics: outcome.diagnostics ?? [] });
  else {
    outcome.print?.(out);
    if (outcome.diagnostics?.length) out.diagnostics(outcome.diagnostics);
  }
  return { outcome, text: stdout.join('') + stderr.join('') };
}

/** Every 8-character piece of every planted secret: even a fragment must not leak. */
function leaked(text: string): string[] {
  return plants
    .filter((p) => {
      const secret = p.secret.replace(/\s/g, '');
      for (let i = 0; i + 8 <= secret.length; i++) if (text.includes(secret.slice(i, i + 8))) return true;
      return false;
    })
    .map((p) => p.rule);
}

describe('opsbook secrets scan', () => {
  let dir: string;
  beforeAll(() => {
    dir = writeTree(Object.fromEntries(plants.map((p) => [p.file, p.content])));
  });
  afterAll(() => removeTree(dir));

  it('fails with one secrets/<rule> diagnostic per finding at file:line:col', async () => {
    const { outcome, text } = await runCommand(dir, 'plain', ['scan']);
    expect(outcome.ok).toBe(false);
    expect(outcome.diagnostics?.map((d) => d.code).sort()).toEqual(
      plants.map((p) => `secrets/${p.rule}`).sort(),
    );
    expect(text).toMatch(
      /^stripe\.env:2:19: error Stripe secret or restricted key: sk_l… \[secrets\/stripe-access-token\]$/m,
    );
    expect(text).toContain(`${plants.length} secret(s) found`);
  });

  it.each(['plain', 'json'] as const)(
    'never prints a planted secret, not even a fragment (%s)',
    async (mode) => {
      const { text } = await runCommand(dir, mode, ['scan']);
      expect(text.length).toBeGreaterThan(1000);
      expect(leaked(text)).toEqual([]);
    },
  );

  it('writes a baseline without secrets, after which the scan passes', async () => {
    const written = await runCommand(dir, 'plain', ['scan'], { 'write-baseline': true });
    expect(written.outcome.ok).toBe(true);
    const baseline = readFileSync(join(dir, '.opsbook/secrets-baseline.json'), 'utf8');
    expect(leaked(baseline + written.text)).toEqual([]);
    const again = await runCommand(dir, 'plain', ['scan', '.']);
    expect(again.outcome.ok).toBe(true);
    expect(again.text).toContain(`${plants.length} finding(s) accepted by .opsbook/secrets-baseline.json`);
  });

  it('keeps secrets out of errors about a broken .gitleaks.toml', async () => {
    const secret = plants[0]?.secret ?? '';
    const broken = writeTree({ '.gitleaks.toml': `[allowlist]\nregexes = ['''${secret}''']\nbroken = [\n` });
    try {
      const error = await runCommand(broken, 'plain', ['scan']).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      expect(leaked(`${(error as UserError).message} ${(error as UserError).hint}`)).toEqual([]);
    } finally {
      removeTree(broken);
    }
  });

  it('asks for the subcommand and a single path', async () => {
    await expect(runCommand(dir, 'plain', [])).rejects.toThrow(/missing subcommand/);
    await expect(runCommand(dir, 'plain', ['list'])).rejects.toThrow(/unknown subcommand 'secrets list'/);
    writeFileSync(join(dir, 'x.txt'), 'x');
    await expect(runCommand(dir, 'plain', ['scan', 'x.txt', 'y.txt'])).rejects.toThrow(/one path/);
  });

  it('scans with the threads --threads asks for, and refuses a count that is not one', async () => {
    writeFileSync(join(dir, 'x.txt'), 'x');
    const one = await runCommand(dir, 'plain', ['scan'], { threads: '1' });
    expect(one.outcome.data).toMatchObject({ workers: 0, mainThread: true });
    const two = await runCommand(dir, 'plain', ['scan'], { threads: '2' });
    expect(two.outcome.data).toMatchObject({ workers: 2, mainThread: false });
    for (const bad of ['0', 'two', '1.5'])
      await expect(runCommand(dir, 'plain', ['scan'], { threads: bad })).rejects.toThrow(
        /--threads must be a whole number from 1 to 64/,
      );
  });
});
