import { completionScript, isShell, SHELLS } from '../completion/index.js';
import { UserError } from '../errors.js';
import type { COMPLETION_ARGS } from './specs-release.js';
import { type CommandHandler, type CommandSpec, GLOBAL_FLAGS } from './types.js';

/** `opsbook completion bash|zsh|fish`, over the table it is given (passed in: commands do not import cli.ts). */
export const completionCommand =
  (commands: readonly CommandSpec[]): CommandHandler<typeof COMPLETION_ARGS> =>
  async (input) => {
    const [shell, ...extra] = input.positionals;
    if (!shell || !isShell(shell))
      throw new UserError(
        shell ? `no completion for the shell '${shell}'` : 'which shell?',
        `use one of: ${SHELLS.map((s) => `opsbook completion ${s}`).join(', ')}`,
      );
    if (extra.length)
      throw new UserError(`unexpected argument '${extra[0]}'`, "see 'opsbook completion --help'");
    const script = completionScript(shell, commands, GLOBAL_FLAGS);
    return { ok: true, data: { shell, script }, print: (out) => out.line(script.trimEnd()) };
  };
