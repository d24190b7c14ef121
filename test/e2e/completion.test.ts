// Shell completion as a shell runs it: the built CLI's script, sourced in a real bash (and fish and zsh when the
// machine has them), asked to complete command lines.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist', 'main.js');
const has = (shell: string) => spawnSync(shell, ['-c', 'true']).status === 0;
/** Said in the test's name, so a skipped run tells why. */
const needs = (shell: string) => (has(shell) ? '' : ` (skipped: ${shell} is not installed)`);
let dir: string;

const scripts = new Map<string, string>();
/** The script `opsbook completion SHELL` prints, saved to a file (once per shell). */
function script(shell: string): string {
  const saved = scripts.get(shell);
  if (saved) return saved;
  const r = spawnSync(process.execPath, [cli, 'completion', shell], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const file = join(dir, `opsbook.${shell}`);
  writeFileSync(file, r.stdout);
  scripts.set(shell, file);
  return file;
}

/** What bash offers for the command line `words` (the last word is being completed). */
function bashComplete(words: string[]): string[] {
  const array = words.map((w) => `'${w}'`).join(' ');
  const r = spawnSync(
    'bash',
    [
      '--norc',
      '-c',
      `source "$1" && COMP_WORDS=(${array}) && COMP_CWORD=${words.length - 1} && _opsbook && printf '%s\\n' "\${COMPREPLY[@]}"`,
      'bash',
      script('bash'),
    ],
    { cwd: join(dir, 'project'), encoding: 'utf8' },
  );
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout.split('\n').filter(Boolean).sort();
}

beforeAll(() => {
  if (!existsSync(cli)) throw new Error('dist/main.js is missing: run `npm run build` first (npm test does)');
  dir = mkdtempSync(join(tmpdir(), 'opsbook-completion-'));
  // A folder to complete file names in.
  mkdirSync(join(dir, 'project', 'migrations'), { recursive: true });
  writeFileSync(join(dir, 'project', 'opsbook.yaml'), '');
  writeFileSync(join(dir, 'project', 'notes.md'), '');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('opsbook completion', () => {
  it('refuses an unknown shell with exit code 2', () => {
    const r = spawnSync(process.execPath, [cli, 'completion', 'tcsh'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("no completion for the shell 'tcsh'");
  });

  describe('bash', () => {
    it('completes commands, and the top-level flags', () => {
      expect(bashComplete(['opsbook', 'd'])).toEqual(['deploy', 'doctor']);
      expect(bashComplete(['opsbook', ''])).toContain('completion');
      expect(bashComplete(['opsbook', '--v'])).toEqual(['--version']);
    });

    it("completes a command's flags, its own and the global ones", () => {
      const flags = bashComplete(['opsbook', 'deploy', '--']);
      expect(flags).toEqual(
        expect.arrayContaining(['--env', '--service', '--dry-run', '--json', '--config']),
      );
      expect(flags).not.toContain('--offline');
      expect(bashComplete(['opsbook', 'status', '--o'])).toEqual(['--offline']);
    });

    it('completes subcommands by position, past flags and their values', () => {
      expect(bashComplete(['opsbook', 'migrate', 'st'])).toEqual(['status']);
      expect(bashComplete(['opsbook', 'env', '--env', 'staging', 'd'])).toEqual(['diff', 'docs']);
      expect(bashComplete(['opsbook', 'env', '--env', '=', 'staging', 'd'])).toEqual(['diff', 'docs']);
      expect(bashComplete(['opsbook', 'completion', ''])).toEqual(['bash', 'fish', 'zsh']);
      expect(bashComplete(['opsbook', 'help', 'mi'])).toEqual(['migrate']);
    });

    it("completes a flag's value: its choices, files or folders, and nothing for free text", () => {
      expect(bashComplete(['opsbook', 'logs', '--level', 'w'])).toEqual(['warn']);
      expect(bashComplete(['opsbook', 'logs', '--level', '=', 'e'])).toEqual(['error']);
      expect(bashComplete(['opsbook', 'logs', '--level', '='])).toHaveLength(6);
      expect(bashComplete(['opsbook', 'status', '--config', 'ops'])).toEqual(['opsbook.yaml']);
      expect(bashComplete(['opsbook', 'migrate', '--dir', ''])).toEqual(['migrations']);
      expect(bashComplete(['opsbook', 'deploy', '--env', ''])).toEqual([]);
      // The value of --env is not taken for a positional: deploy takes none.
      expect(bashComplete(['opsbook', 'deploy', '--env', 'staging', ''])).toEqual([]);
    });

    it('completes file arguments where the command takes paths', () => {
      expect(bashComplete(['opsbook', 'validate', 'a.yaml', 'n'])).toEqual(['notes.md']);
      expect(bashComplete(['opsbook', 'migrate', 'lint', 'mig'])).toEqual(['migrations']);
    });
  });

  it.skipIf(!has('fish'))(`fish: completes commands, subcommands and flag values${needs('fish')}`, () => {
    const complete = (line: string) => {
      const r = spawnSync(
        'fish',
        ['--no-config', '-c', `source $argv[1]; complete -C '${line}'`, script('fish')],
        {
          cwd: join(dir, 'project'),
          encoding: 'utf8',
        },
      );
      expect(r.stderr).toBe('');
      return r.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t')[0])
        .sort();
    };
    expect(complete('opsbook dep')).toEqual(['deploy']);
    // 'check' is a command too: the subcommand is read by position, so check's flags are not offered here.
    expect(complete('opsbook env ')).toEqual(['check', 'diff', 'docs', 'example']);
    expect(complete('opsbook env check --o')).toEqual([]);
    expect(complete('opsbook incident postmortem 3 --format ')).toEqual(['json', 'markdown']);
    expect(complete('opsbook validate no')).toEqual(['notes.md']);
  });

  it.skipIf(!has('zsh'))(`zsh: the script parses and registers _opsbook for opsbook${needs('zsh')}`, () => {
    const file = script('zsh');
    expect(spawnSync('zsh', ['-n', file], { encoding: 'utf8' }).stderr).toBe('');
    const r = spawnSync(
      'zsh',
      [
        '-fc',
        `autoload -U compinit && compinit -u -D && source "$1" && print -r -- $_comps[opsbook]`,
        'zsh',
        file,
      ],
      { encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('_opsbook');
  });

  it.skipIf(!has('zsh') || !hasZpty())(
    `zsh: completes commands, flags, subcommands and values${needs('zsh')}`,
    () => {
      expect(zshComplete('opsbook dep')).toEqual(['deploy']);
      expect(zshComplete('opsbook deploy --s')).toEqual(['--service', '--skip-gates']);
      expect(zshComplete('opsbook env --env staging d')).toEqual(['diff', 'docs']);
      expect(zshComplete('opsbook logs --level=')).toEqual([
        'debug',
        'error',
        'fatal',
        'info',
        'trace',
        'warn',
      ]);
      expect(zshComplete('opsbook validate n')).toEqual(['notes.md']);
      expect(zshComplete('opsbook deploy --env ')).toEqual([]);
    },
  );
});

/** zsh completes only in an interactive shell: one runs in a pseudo-terminal (zsh/zpty) and prints what it offers. */
const ZSH_DRIVER = `zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z "PROMPT=''; RPROMPT=''"
zpty -w z "autoload -U compinit && compinit -u -D"
zpty -w z "source \${(q)1}"
zpty -w z 'compadd () { builtin compadd -O __hits "$@"; print -rl -- "<h""it>"\${^__hits}; builtin compadd "$@" }'
zpty -w z 'comppostfuncs=(__done); __done() { print -r -- "<do""ne>" }'
zpty -w z 'bindkey "^I" complete-word'
zpty -n -w z "$2"$'\\t'
while zpty -r z line; do
  [[ $line == *'<done>'* ]] && break
  [[ $line == *'<hit>'* ]] && print -r -- "\${line##*<hit>}"
done
zpty -d z
`;

function hasZpty(): boolean {
  return spawnSync('zsh', ['-fc', 'zmodload zsh/zpty']).status === 0;
}

/** What zsh offers for the command line `line` (completion asked for at its end). */
function zshComplete(line: string): string[] {
  const driver = join(dir, 'complete.zsh');
  writeFileSync(driver, ZSH_DRIVER);
  const r = spawnSync('zsh', ['-f', driver, script('zsh'), line], {
    cwd: join(dir, 'project'),
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(r.error).toBeUndefined();
  // The terminal ends its lines with \r\n.
  return [...new Set(r.stdout.split('\n').map((l) => l.trim()))].filter(Boolean).sort();
}
