/**
 * Reads a command line against a command's declared flags and positionals. Our own reader rather than
 * util.parseArgs so every mistake gets our message and a "did you mean", not Node's text rewritten.
 */
import { closestMatch } from '../config/suggest.js';
import { UserError } from '../errors.js';
import {
  type CommandArgs,
  type CommandInput,
  type CommandSpec,
  type FlagSpec,
  type FlagSpecs,
  type FlagValues,
  GLOBAL_FLAGS,
} from './types.js';

/** Any command's flags as the parser fills them in, before the table's types are known. */
type LooseValues = Record<string, string | boolean | string[] | undefined>;

export type ParsedArgv = Pick<CommandInput<CommandArgs>, 'values' | 'positionals'>;

/** Every flag as it reads when not given: off, an empty list, or undefined. */
export function flagDefaults<F extends FlagSpecs>(flags: F): FlagValues<F> {
  return Object.fromEntries(
    Object.entries(flags).map(([name, f]) => [
      name,
      f.type === 'boolean' ? false : f.multiple ? [] : undefined,
    ]),
  ) as FlagValues<F>;
}

/** A value that would itself read as an option: Node's rule, so `-` alone is a value. */
const looksLikeOption = (arg: string) => arg.length > 1 && arg.startsWith('-');

export function parseArgv(spec: CommandSpec, args: readonly string[]): ParsedArgv {
  const flags: FlagSpecs = { ...GLOBAL_FLAGS, ...spec.flags };
  const help = `see 'opsbook ${spec.name} --help'`;
  const byShort = new Map(
    Object.entries(flags).flatMap(([name, f]) => (f.short ? [[f.short, name] as const] : [])),
  );
  const values: LooseValues = flagDefaults(flags);
  const positionals: string[] = [];

  const unknown = (written: string, name: string): never => {
    const guess = closestMatch(name, Object.keys(flags));
    throw new UserError(
      `Unknown option '${written}'`,
      guess ? `did you mean --${guess}? See 'opsbook ${spec.name} --help'.` : help,
    );
  };
  const set = (name: string, f: FlagSpec, value: string | undefined, written: string) => {
    if (f.type === 'boolean') {
      if (value !== undefined) throw new UserError(`Option '${written}' takes no value`, help);
      values[name] = true;
      return;
    }
    if (value === undefined) throw new UserError(`Option '${written}' needs a value`, help);
    if (f.multiple) (values[name] as string[]).push(value);
    else values[name] = value;
  };
  /** The value of a string flag written apart from it: the next argument, unless that reads as an option. */
  const next = (i: number, name: string, written: string): string | undefined => {
    const arg = args[i + 1];
    if (arg === undefined) return undefined;
    if (looksLikeOption(arg))
      throw new UserError(
        `Option '${written}' got '${arg}' as its value, which reads as an option`,
        `to give --${name} a value that starts with '-', write --${name}=VALUE; ${help}`,
      );
    return arg;
  };

  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      const f = Object.hasOwn(flags, name) ? flags[name] : undefined;
      if (!f) unknown(`--${name}`, name);
      else if (eq !== -1) set(name, f, arg.slice(eq + 1), `--${name}`);
      else if (f.type === 'boolean') set(name, f, undefined, arg);
      else {
        const value = next(i, name, arg);
        if (value !== undefined) i++;
        set(name, f, value, arg);
      }
      continue;
    }
    if (!looksLikeOption(arg)) {
      positionals.push(arg);
      continue;
    }
    // -y, -e VALUE, -eVALUE, or a group of on/off flags -yf.
    for (let j = 1; j < arg.length; j++) {
      const short = arg[j]!;
      const name = byShort.get(short);
      if (name === undefined) unknown(`-${short}`, short);
      const f = flags[name!]!;
      if (f.type === 'boolean') {
        set(name!, f, undefined, `-${short}`);
        continue;
      }
      const rest = arg.slice(j + 1);
      const value = rest || next(i, name!, `-${short}`);
      if (!rest && value !== undefined) i++;
      set(name!, f, value, `-${short}`);
      break;
    }
  }

  // A command that declares no argument must not ignore one: `deploy api` would deploy every service.
  if (!values.help && spec.positionals.length === 0 && positionals.length) {
    const flag = 'service' in flags ? 'service' : 'env' in flags ? 'env' : undefined;
    throw new UserError(
      `'opsbook ${spec.name}' takes no arguments, but got '${positionals.join(' ')}'`,
      `${flag ? `to pick ${flag === 'env' ? 'an environment' : 'a service'}, pass --${flag} ${positionals[0]}; ` : ''}${help}`,
    );
  }
  // Each value was set by its own flag's spec above: what FlagValues says that flag reads as.
  return { values: values as ParsedArgv['values'], positionals };
}
