/** The prompts: only when a person can answer (a terminal, not CI); otherwise there is no prompt at all. */
import { createInterface } from 'node:readline/promises';
import type { CommandInput } from './types.js';

async function question(input: CommandInput, text: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(text, { signal: input.signal })).trim();
  } finally {
    rl.close();
  }
}

/** A yes/no question; anything but y or yes is no. */
export function askFor(input: CommandInput): ((question: string) => Promise<boolean>) | undefined {
  if (!input.interactive) return undefined;
  return async (text) => /^y(es)?$/i.test(await question(input, `${text} [y/N] `));
}

/** One line of text, trimmed. */
export function askTextFor(input: CommandInput): ((question: string) => Promise<string>) | undefined {
  if (!input.interactive) return undefined;
  return (text) => question(input, text);
}
