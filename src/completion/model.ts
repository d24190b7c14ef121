/**
 * What shell completion offers, read from the command table: the commands, each one's flags and positionals,
 * and the values the table knows (subcommand choices, flag choices, files where a value names a file).
 * The three shell scripts are renderings of this one model, so they cannot drift from the table or each other.
 */

/**
 * What completion reads of the command table (commands/types.ts): its entries fit these shapes as they are.
 * Declared here so completion does not import the commands, one of which prints the scripts.
 */
export interface TableFlag {
  type: 'boolean' | 'string';
  short?: string;
  description: string;
  multiple?: boolean;
  valueName?: string;
  choices?: readonly string[];
}

export interface TablePositional {
  name: string;
  description?: string;
  choices?: readonly string[];
  variadic?: boolean;
}

export interface TableCommand {
  name: string;
  summary: string;
  flags: Readonly<Record<string, TableFlag>>;
  positionals: readonly TablePositional[];
}

/** The values offered for a flag or a positional. */
export type Values =
  | { kind: 'words'; words: readonly string[] }
  | { kind: 'files' }
  | { kind: 'dirs' }
  /** A value the table cannot list (an environment, an id, text): nothing is offered. */
  | { kind: 'none' };

export interface CompletionFlag {
  long: string;
  short?: string;
  description: string;
  /** Takes a value: the next word is that value, not a positional. */
  takesValue: boolean;
  repeatable: boolean;
  values: Values;
}

export interface CompletionPositional {
  name: string;
  description: string;
  values: Values;
  /** Takes every remaining argument. */
  variadic: boolean;
}

export interface CompletionCommand {
  name: string;
  summary: string;
  /** The command's own flags; the global ones are in the model's `globalFlags`. */
  flags: CompletionFlag[];
  positionals: CompletionPositional[];
}

export interface CompletionModel {
  commands: CompletionCommand[];
  /** Flags every command accepts: --json, --config, ... */
  globalFlags: CompletionFlag[];
  /** Flags accepted in place of a command: `opsbook --help`, `opsbook --version`. */
  topFlags: CompletionFlag[];
}

/** Words are written into shell scripts unquoted; the table only ever holds plain ones. */
const PLAIN_WORD = /^[A-Za-z0-9][\w.@/-]*$/;

function checked(words: readonly string[], where: string): readonly string[] {
  for (const w of words)
    if (!PLAIN_WORD.test(w)) throw new Error(`completion: '${w}' in ${where} is not a plain word`);
  return words;
}

/** Names the table uses for a value that is a path. */
function pathValues(name: string | undefined): Values {
  if (name === 'DIR') return { kind: 'dirs' };
  if (name === 'FILE' || name === 'PATH') return { kind: 'files' };
  return { kind: 'none' };
}

function flag(long: string, f: TableFlag, where: string): CompletionFlag {
  checked([long, ...(f.short ? [f.short] : [])], where);
  const takesValue = f.type === 'string';
  return {
    long,
    ...(f.short ? { short: f.short } : {}),
    description: f.description,
    takesValue,
    repeatable: f.type === 'string' && f.multiple === true,
    values:
      f.type !== 'string'
        ? { kind: 'none' }
        : f.choices
          ? { kind: 'words', words: checked(f.choices, `${where} --${long}`) }
          : pathValues(f.valueName),
  };
}

function positional(p: TablePositional, where: string): CompletionPositional {
  return {
    name: p.name,
    description: p.description ?? p.name,
    values: p.choices
      ? { kind: 'words', words: checked(p.choices, `${where} ${p.name}`) }
      : pathValues(p.name),
    variadic: p.variadic === true,
  };
}

/** `globalFlags`: the flags every command accepts. */
export function completionModel(
  commands: readonly TableCommand[],
  globalFlags: Readonly<Record<string, TableFlag>>,
): CompletionModel {
  const names = checked(
    commands.map((c) => c.name),
    'command names',
  );
  return {
    commands: [
      ...commands.map((c) => ({
        name: c.name,
        summary: c.summary,
        flags: Object.entries(c.flags).map(([name, f]) => flag(name, f, c.name)),
        positionals: c.positionals.map((p) => positional(p, c.name)),
      })),
      // `opsbook help COMMAND`, which main.ts answers before any command is read.
      {
        name: 'help',
        summary: "a command's help",
        flags: [],
        positionals: [
          {
            name: 'COMMAND',
            description: 'a command',
            values: { kind: 'words', words: names },
            variadic: false,
          },
        ],
      },
    ],
    globalFlags: Object.entries(globalFlags).map(([name, f]) => flag(name, f, 'global flags')),
    topFlags: [
      {
        long: 'help',
        short: 'h',
        description: 'show help',
        takesValue: false,
        repeatable: false,
        values: { kind: 'none' },
      },
      {
        long: 'version',
        short: 'v',
        description: 'print the version',
        takesValue: false,
        repeatable: false,
        values: { kind: 'none' },
      },
    ],
  };
}

/** The spellings of a flag: `--env` and `-e`. */
export const spellings = (f: CompletionFlag): string[] => [
  `--${f.long}`,
  ...(f.short ? [`-${f.short}`] : []),
];

/** A one-line description: the table's text up to its first line break. */
export const oneLine = (text: string): string => text.split('\n')[0]!.trim();
