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

/** Any parsed flags: what a handler that does not declare its flags receives. */
export type LooseValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface CommandInput<V = LooseValues> {
  /** Parsed flags (global ones included). */
  values: V;
  positionals: string[];
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

export type CommandHandler<V = LooseValues> = (input: CommandInput<V>) => Promise<CommandOutcome>;

export interface CommandSpec<F extends FlagSpecs = FlagSpecs> {
  name: string;
  summary: string;
  /** e.g. `opsbook validate [FILE...]`. */
  usage: string;
  details?: string;
  flags: F;
  /** Empty: the command takes no arguments. */
  positionals: readonly PositionalSpec[];
  load: () => Promise<CommandHandler>;
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

/**
 * One command of the table. The handler's declared input is checked against the flags here, so a handler
 * that reads `--service` as a list fails to compile when the table declares it single.
 */
export function defineCommand<const F extends FlagSpecs>(spec: {
  name: string;
  summary: string;
  usage: string;
  details?: string;
  flags: F;
  positionals?: readonly PositionalSpec[];
  load: () => Promise<CommandHandler<FlagValues<F & GlobalFlags>>>;
}): CommandSpec {
  return { ...spec, positionals: spec.positionals ?? [] } as unknown as CommandSpec;
}
