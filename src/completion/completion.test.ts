import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../cli.js';
import { defineCommand, GLOBAL_FLAGS } from '../commands/types.js';
import { PUBLIC_STATES } from '../incidents/actions.js';
import { LEVELS } from '../logs/types.js';
import { completionScript, SHELLS } from './index.js';
import { completionModel } from './model.js';

const has = (shell: string) => spawnSync(shell, ['-c', 'true']).status === 0;

/** `shell -n FILE`: parses the script without running it. */
function syntaxErrors(shell: string, script: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'opsbook-completion-'));
  try {
    const file = join(dir, `opsbook.${shell}`);
    writeFileSync(file, script);
    const r = spawnSync(shell, ['-n', file], { encoding: 'utf8' });
    return r.status === 0 ? '' : `exit ${r.status}: ${r.stderr}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const flagOf = (command: string, flag: string) =>
  completionModel(COMMANDS, GLOBAL_FLAGS)
    .commands.find((c) => c.name === command)
    ?.flags.find((f) => f.long === flag);

describe('the completion model', () => {
  it('has every command of the table, with its own flags and positionals, and help', () => {
    const model = completionModel(COMMANDS, GLOBAL_FLAGS);
    expect(model.commands.map((c) => c.name)).toEqual([...COMMANDS.map((c) => c.name), 'help']);
    for (const spec of COMMANDS) {
      const c = model.commands.find((m) => m.name === spec.name)!;
      expect(c.flags.map((f) => f.long)).toEqual(Object.keys(spec.flags));
      expect(c.positionals.map((p) => p.name)).toEqual(spec.positionals.map((p) => p.name));
    }
    expect(model.globalFlags.map((f) => f.long)).toEqual(['json', 'plain', 'cwd', 'config', 'help']);
  });

  it('knows values: subcommands, flag choices, files and folders; nothing for free text', () => {
    const model = completionModel(COMMANDS, GLOBAL_FLAGS);
    const env = model.commands.find((c) => c.name === 'env')!;
    expect(env.positionals[0]!.values).toEqual({
      kind: 'words',
      words: ['check', 'diff', 'example', 'docs'],
    });
    expect(env.positionals[1]!.values).toEqual({ kind: 'files' });
    expect(flagOf('migrate', 'dir')!.values).toEqual({ kind: 'dirs' });
    expect(flagOf('deploy', 'env')!.values).toEqual({ kind: 'none' });
    expect(flagOf('deploy', 'service')).toMatchObject({ takesValue: true, repeatable: true });
    expect(flagOf('deploy', 'yes')).toMatchObject({ short: 'y', takesValue: false });
    const completion = model.commands.find((c) => c.name === 'completion')!;
    expect(completion.positionals[0]!.values).toEqual({ kind: 'words', words: [...SHELLS] });
  });

  it("offers the same values the commands accept (the table's choices follow the domain's lists)", () => {
    expect(flagOf('logs', 'level')!.values).toEqual({ kind: 'words', words: [...LEVELS] });
    expect(flagOf('incident', 'status')!.values).toEqual({ kind: 'words', words: [...PUBLIC_STATES] });
  });

  it('refuses a table word that is not safe to write into a script', () => {
    const bad = defineCommand(
      { flags: { mode: { type: 'string', choices: ['a; rm -rf ~'], description: '' } }, positionals: [] },
      { name: 'x', summary: '', usage: '', load: async () => async () => ({ ok: true, data: null }) },
    );
    expect(() => completionModel([bad], GLOBAL_FLAGS)).toThrow(/not a plain word/);
  });
});

describe('the completion scripts', () => {
  it('bash: registers _opsbook and lists every command, flag and known value', () => {
    const script = completionScript('bash', COMMANDS, GLOBAL_FLAGS);
    expect(script).toContain('complete -F _opsbook opsbook');
    for (const spec of COMMANDS) {
      expect(script).toMatch(new RegExp(`^    ${spec.name}\\) flags="`, 'm'));
      for (const name of Object.keys(spec.flags)) expect(script).toContain(`--${name}`);
    }
    expect(script).toContain('"env 0") _opsbook_offer "check diff example docs" ;;');
    expect(script).toContain('"logs --level") _opsbook_offer "trace debug info warn error fatal" ;;');
    expect(script).toContain('*" --config"|*" -c") _opsbook_offer @files ;;');
    // A variadic positional takes every later argument.
    expect(script).toContain('"migrate 1"|"migrate "*) _opsbook_offer @files ;;');
  });

  it('zsh: one _arguments spec per command, quotes in descriptions kept inside their word', () => {
    const script = completionScript('zsh', COMMANDS, GLOBAL_FLAGS);
    expect(script.startsWith('#compdef opsbook\n')).toBe(true);
    expect(script).toContain(`'verify:run the deploy'\\''s verification`);
    expect(script).toContain(`'(-e --env)'{-e,--env}'=[environment (default\\: production)]:env: '`);
    expect(script).toContain(`'*--only=[run only this gate]:only: '`);
    expect(script).toContain(`'1:SHELL:(bash zsh fish)'`);
    for (const spec of COMMANDS)
      expect(script).toContain(`\n    ${spec.name})\n      _arguments -s $globals`);
  });

  it('fish: flags by command, subcommands by position', () => {
    const script = completionScript('fish', COMMANDS, GLOBAL_FLAGS);
    expect(script).toContain(
      "complete -c opsbook -n '__opsbook_is deploy' -s y -l yes -d 'do not ask for confirmation (scripts, CI)'",
    );
    expect(script).toContain("complete -c opsbook -n '__opsbook_arg env 0' -a 'check diff example docs'");
    expect(script).toContain("complete -c opsbook -n '__opsbook_arg validate 0 more' -F");
    expect(script).toContain("-l format -x -a 'markdown json'");
    expect(script).toContain('-l output -r -F');
    expect(script).toContain("-d 'a command\\'s help'");
  });

  for (const shell of SHELLS)
    it.skipIf(!has(shell))(
      `${shell} parses its script${has(shell) ? '' : ` (skipped: ${shell} is not installed)`}`,
      () => {
        expect(syntaxErrors(shell, completionScript(shell, COMMANDS, GLOBAL_FLAGS))).toBe('');
      },
    );
});
