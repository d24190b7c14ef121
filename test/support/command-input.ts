/** A command handler's input as main.ts builds it: every flag at its default unless the test gives it. */
import { flagDefaults } from '../../src/commands/parse-argv.js';
import {
  type CommandArgs,
  type CommandInput,
  GLOBAL_FLAGS,
  type PositionalValues,
} from '../../src/commands/types.js';

/** The flags a test gives a command; the others keep their defaults. */
export type CommandValues<A extends CommandArgs> = Partial<CommandInput<A>['values']>;

type Given<A extends CommandArgs> = Pick<CommandInput<A>, 'cwd' | 'out'> &
  Partial<Omit<CommandInput<A>, 'values'>> & { values?: CommandValues<A> };

export function commandInput<A extends CommandArgs>(args: A, given: Given<A>): CommandInput<A> {
  return {
    positionals: [] as PositionalValues<A['positionals']>,
    env: {},
    interactive: false,
    signal: new AbortController().signal,
    ...given,
    values: { ...flagDefaults({ ...GLOBAL_FLAGS, ...args.flags }), ...given.values },
  } as CommandInput<A>;
}
