/**
 * The command table. Kept free of heavy imports: each command's module is loaded only when it runs,
 * so `opsbook --help` and `--version` start as fast as Node itself.
 */
import type { Diagnostic } from './diagnostics/index.js';
import type { Output } from './output/index.js';

export interface FlagSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  description: string;
  /** Shown in help as `--flag VALUE`. */
  valueName?: string;
}

export interface CommandInput {
  /** Parsed flags (global ones included) and positionals. */
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
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

export type CommandHandler = (input: CommandInput) => Promise<CommandOutcome>;

export interface CommandSpec {
  name: string;
  summary: string;
  /** e.g. `opsbook validate [FILE...]`. */
  usage: string;
  details?: string;
  flags: Record<string, FlagSpec>;
  load: () => Promise<CommandHandler>;
}

export const GLOBAL_FLAGS: Record<string, FlagSpec> = {
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
};

const ENV_FLAG: FlagSpec = {
  type: 'string',
  short: 'e',
  valueName: 'ENV',
  description: 'environment (default: production)',
};

export const COMMANDS: CommandSpec[] = [
  {
    name: 'init',
    summary: 'detect the repository and write a starter opsbook.yaml',
    usage: 'opsbook init [--force] [--dry-run]',
    details:
      'Reads package.json scripts, prisma/, supabase/migrations/, alembic.ini, render.yaml, vercel.json, railway.json|toml,\nfly.toml, Procfile and .env.example, and writes an opsbook.yaml that validates.',
    flags: {
      force: { type: 'boolean', description: 'overwrite an existing config' },
      'dry-run': { type: 'boolean', description: 'print the config instead of writing it' },
      name: {
        type: 'string',
        valueName: 'NAME',
        description: 'stack name (default: package name or folder name)',
      },
    },
    load: async () => (await import('./commands/init.js')).run,
  },
  {
    name: 'validate',
    summary: 'check a config and report every problem with its line and column',
    usage: 'opsbook validate [FILE...]',
    flags: {},
    load: async () => (await import('./commands/validate.js')).run,
  },
  {
    name: 'status',
    summary: 'the architecture table: services, kind, platform, URL, dependencies',
    usage: 'opsbook status [--env ENV]',
    flags: { env: ENV_FLAG },
    load: async () => (await import('./commands/status.js')).run,
  },
  {
    name: 'schema',
    summary: 'print the JSON Schema of opsbook.yaml (for editors)',
    usage: 'opsbook schema [--write FILE]',
    flags: {
      write: { type: 'string', valueName: 'FILE', description: 'write the schema to FILE instead of stdout' },
    },
    load: async () => (await import('./commands/schema.js')).run,
  },
  {
    name: 'check',
    summary: 'run the pre-deploy checklist: command, built-in and confirmation gates, in parallel and cached',
    usage: 'opsbook check [--env ENV] [--only ID...] [--confirm ID...] [--no-cache] [--markdown FILE]',
    details:
      'Command gates run in parallel up to the core count; a passed gate is replayed from cache while its definition\nand inputs are unchanged. Confirmation gates are asked for on a terminal, or taken from --confirm.',
    flags: {
      env: ENV_FLAG,
      only: { type: 'string', multiple: true, valueName: 'ID', description: 'run only this gate' },
      confirm: { type: 'string', multiple: true, valueName: 'ID', description: 'confirm this manual gate (non-interactive runs)' },
      'no-cache': { type: 'boolean', description: 'rerun every gate, ignoring cached results' },
      markdown: { type: 'string', valueName: 'FILE', description: 'write the printable checklist with evidence' },
    },
    load: async () => (await import('./commands/check.js')).run,
  },
  // <<commands>> new command specs go above this line
];

export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}

function flagLines(flags: Record<string, FlagSpec>): string[] {
  return Object.entries(flags).map(([name, f]) => {
    const left = `${f.short ? `-${f.short}, ` : '    '}--${name}${f.type === 'string' ? ` ${f.valueName ?? 'VALUE'}` : ''}`;
    return `  ${left.padEnd(28)} ${f.description}${f.multiple ? ' (repeatable)' : ''}`;
  });
}

export function mainHelp(version: string): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `opsbook ${version}: your production runbook as software`,
    '',
    'Usage: opsbook <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Global options:',
    ...flagLines(GLOBAL_FLAGS),
    '  -v, --version                print the version',
    '',
    'Exit codes: 0 ok, 1 the result is a failure, 2 bad usage or input, 3 platform error, 4 locked, 70 bug, 130 interrupted.',
    "Run 'opsbook <command> --help' for a command's options.",
  ].join('\n');
}

export function commandHelp(spec: CommandSpec): string {
  return [
    `${spec.usage}`,
    '',
    spec.summary,
    ...(spec.details ? ['', spec.details] : []),
    '',
    ...(Object.keys(spec.flags).length ? ['Options:', ...flagLines(spec.flags), ''] : []),
    'Global options:',
    ...flagLines(GLOBAL_FLAGS),
  ].join('\n');
}
