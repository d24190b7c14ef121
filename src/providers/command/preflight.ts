/** Before a deploy takes the lock: the programs the team's commands start exist on this machine. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { UserError } from '../../errors.js';

const exec = promisify(execFile);

/** The program a shell command line starts, after any leading `NAME=value` assignments. */
export function programOf(command: string): string | undefined {
  const words = command.trim().split(/\s+/);
  const word = words.find((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w));
  if (!word || /^[({!]|^(if|for|while|case|until)$/.test(word)) return undefined;
  return word.replace(/^['"]|['"]$/g, '');
}

/** Throws a UserError naming the command and how to fix it when its program cannot be found. */
export async function checkPrograms(
  service: string,
  commands: { field: string; command: string | undefined }[],
  cwd: string,
  env: Record<string, string>,
): Promise<void> {
  for (const { field, command } of commands) {
    const program = command ? programOf(command) : undefined;
    if (!program) continue;
    // `command -v` knows the shell's builtins, functions and PATH, exactly as the shell that runs the command will.
    const found = await exec('sh', ['-c', 'command -v -- "$1"', 'sh', program], { cwd, env }).then(
      () => true,
      () => false,
    );
    if (!found)
      throw new UserError(
        `'${program}' (services.${service}.provider.${field}) is not installed or not on PATH`,
        `install it, or fix services.${service}.provider.${field} in opsbook.yaml`,
      );
  }
}
