/** Shell completion scripts for bash, zsh and fish, generated from the command table. */
import { bashScript } from './bash.js';
import { fishScript } from './fish.js';
import { completionModel, type TableCommand, type TableFlag } from './model.js';
import { zshScript } from './zsh.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

export const isShell = (name: string): name is Shell => (SHELLS as readonly string[]).includes(name);

export function completionScript(
  shell: Shell,
  commands: readonly TableCommand[],
  globalFlags: Readonly<Record<string, TableFlag>>,
): string {
  const model = completionModel(commands, globalFlags);
  if (shell === 'bash') return bashScript(model);
  if (shell === 'zsh') return zshScript(model);
  return fishScript(model);
}
