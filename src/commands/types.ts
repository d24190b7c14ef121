/** The shapes of a command: its typed flags and positionals, what a handler gets and what it returns. */
import type { Diagnostic } from '../diagnostics/index.js';
import type { Output } from '../output/index.js';

interface FlagBase {
  short?: string;
  description: string;
}

/** An on/off flag: `--yes`. Absent means false. */
export interface BooleanFlag extends FlagBase {
  type: 'boolean';
}

/** A flag with a value: `--env staging`; with `multiple`, repeatable and read as a list. */
export interface StringFlag extends FlagBase {
  type: 'string';
  multiple?: boolean;
  /** Shown in help as `--flag VALUE`; FILE, DIR and PATH make shell completion offer paths. */
  valueName?: string;
  /** The values the command accepts, offered by shell completion (the command itself checks the value). */
  choices?: readonly string[];
}

export type FlagSpec = BooleanFlag | StringFlag;
export type FlagSpecs = Record<string, FlagSpec>;

/** A positional argument. A command with none refuses any: `deploy api` must not deploy every service. */
export interface PositionalSpec {
  name: string;
  description?: string;
  /** The first positional of `env`, `migrate`, ...: its subcommands, offered by shell completion. */
  choices?: readonly string[];
  /** Takes every remaining argument. */
  variadic?: boolean;
}

/** What one flag reads as once parsed. */
export type FlagValue<S extends FlagSpec> = S extends BooleanFlag
  ? boolean
  : S extends { multiple: true }
    ? string[]
    : string | undefined;

/** The parsed values of a set of flags. */
export type FlagValues<F extends FlagSpecs> = { [K in keyof F]: FlagValue<F[K]> };

/** A command's own arguments: its flags (the global ones come on top) and its positionals. */
export interface CommandArgs {
  flags: FlagSpecs;
  /** Empty: the command takes no arguments. */
  positionals: readonly PositionalSpec[];
}

/** Keeps the literal types of a command's arguments, which type its handler's input. */
export const defineArgs = <const A extends CommandArgs>(args: A): A => args;

/** A command that declares no positional gets none: the parser refuses any. */
export type PositionalValues<P extends readonly PositionalSpec[]> = P extends readonly [] ? [] : string[];

/** What every command's input has: the global flags and some positionals. */
type SharedArgs = { flags: Record<never, FlagSpec>; positionals: readonly PositionalSpec[] };

/** What a handler gets. Without arguments: what every command's input has (for helpers several commands share). */
export interface CommandInput<A extends CommandArgs = SharedArgs> {
  /** Parsed flags (global ones included). */
  values: FlagValues<A['flags'] & GlobalFlags>;
  positionals: PositionalValues<A['positionals']>;
  cwd: string;
  out: Output;
  env: NodeJS.ProcessEnv;
  /** A person can answer prompts: stdin and stdout are terminals and CI is not set. */
  interactive: boolean;
  signal: AbortSignal;
}

export interface CommandOutcome {
  ok: boolean;
  /** The command's result; the `data` of the --json envelope. */
  data: unknown;
  diagnostics?: Diagnostic[];
  /** Defaults to 0 when ok, 1 when not. */
  exitCode?: number;
  /** Human rendering for pretty/plain modes. */
  print?: (out: Output) => void;
}

/** A command's handler, typed by the arguments it declares (`CommandHandler<typeof DEPLOY_ARGS>`). */
export type CommandHandler<A extends CommandArgs> = (input: CommandInput<A>) => Promise<CommandOutcome>;

export interface CommandSpec extends CommandArgs {
  name: string;
  summary: string;
  /** e.g. `opsbook validate [FILE...]`. */
  usage: string;
  details?: string;
  /** The handler as the table holds it: for any command's parsed arguments. */
  load: () => Promise<CommandHandler<CommandArgs>>;
}

/** The global flags every command accepts. */
export const GLOBAL_FLAGS = {
  json: {
    type: 'boolean',
    description: 'print one JSON envelope {ok, command, version, data, diagnostics} on stdout',
  },
  plain: {
    type: 'boolean',
    description: 'plain output without colour or live progress (default when not a terminal)',
  },
  cwd: { type: 'string', valueName: 'DIR', description: 'run as if started in DIR' },
  config: {
    type: 'string',
    short: 'c',
    valueName: 'FILE',
    description: 'config file (default: opsbook.yaml or opsbook.config.ts in DIR)',
  },
  help: { type: 'boolean', short: 'h', description: 'show help' },
} as const satisfies FlagSpecs;

export type GlobalFlags = typeof GLOBAL_FLAGS;

/** `--env`, as most commands take it. */
export const ENV_FLAG = {
  type: 'string',
  short: 'e',
  valueName: 'ENV',
  description: 'environment (default: production)',
} as const satisfies StringFlag;

/**
 * One command of the table: its arguments, its help and its handler. The handler is typed by these same arguments,
 * so a handler that reads an undeclared flag, or a list as one value, fails to compile.
 */
export function defineCommand<const A extends CommandArgs>(
  args: A,
  command: Omit<CommandSpec, keyof CommandArgs | 'load'> & { load: () => Promise<CommandHandler<A>> },
): CommandSpec {
  // The table holds commands of different arguments; parseArgv reads each one's argv by these same specs.
  return { ...command, ...args } as unknown as CommandSpec;
}
