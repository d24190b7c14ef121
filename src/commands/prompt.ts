/** The one yes/no prompt: only when a person can answer (a terminal, not CI); otherwise there is no prompt at all. */
import { createInterface } from 'node:readline/promises';
import type { CommandInput } from './types.js';

export function askFor(input: CommandInput): ((question: string) => Promise<boolean>) | undefined {
  if (!input.interactive) return undefined;
  return async (question) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `, { signal: input.signal })).trim());
    } finally {
      rl.close();
    }
  };
}
