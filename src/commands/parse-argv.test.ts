import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { parseArgv } from './parse-argv.js';
import { defineCommand } from './types.js';

const handler = async () => ({ ok: true, data: null });
const deploy = defineCommand(
  {
    flags: {
      env: { type: 'string', short: 'e', description: '' },
      service: { type: 'string', multiple: true, description: '' },
      yes: { type: 'boolean', short: 'y', description: '' },
      force: { type: 'boolean', short: 'f', description: '' },
      days: { type: 'string', description: '' },
    },
    positionals: [],
  },
  { name: 'deploy', summary: '', usage: 'opsbook deploy', load: async () => handler },
);
const validate = defineCommand(
  { flags: {}, positionals: [{ name: 'FILE', variadic: true }] },
  { name: 'validate', summary: '', usage: 'opsbook validate [FILE...]', load: async () => handler },
);

function failure(args: string[]): UserError {
  try {
    parseArgv(deploy, args);
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error(`parsed ${args.join(' ')} without complaint`);
}

describe('parseArgv', () => {
  it('reads long, short, inline and grouped flags, with defaults for absent ones', () => {
    const { values } = parseArgv(deploy, [
      '-yf',
      '--service',
      'api',
      '--service=web',
      '-estaging',
      '--days=-3',
    ]);
    expect(values).toMatchObject({
      yes: true,
      force: true,
      service: ['api', 'web'],
      env: 'staging',
      days: '-3',
      json: false,
      config: undefined,
    });
    expect(parseArgv(deploy, ['-e', 'qa']).values).toMatchObject({ env: 'qa', service: [], yes: false });
  });

  it('takes everything after -- as positionals', () => {
    expect(parseArgv(validate, ['a.yaml', '--', '--json', 'b']).positionals).toEqual([
      'a.yaml',
      '--json',
      'b',
    ]);
  });

  it('suggests the closest flag for an unknown one', () => {
    const e = failure(['--evn', 'production']);
    expect(e.message).toBe("Unknown option '--evn'");
    expect(e.hint).toContain('did you mean --env?');
  });

  it('asks for --flag=VALUE when a value starts with a dash', () => {
    const e = failure(['--days', '-3']);
    expect(e.hint).toContain('write --days=VALUE');
    expect(e.hint).not.toContain('did you mean');
  });

  it('refuses a missing value and a value given to an on/off flag', () => {
    expect(failure(['--days']).message).toContain('needs a value');
    expect(failure(['-e']).message).toContain('needs a value');
    expect(failure(['--yes=1']).message).toContain('takes no value');
  });

  it('refuses an argument when the command declares none, pointing at the flag meant', () => {
    const e = failure(['api']);
    expect(e.message).toContain("'opsbook deploy' takes no arguments, but got 'api'");
    expect(e.hint).toContain('pass --service api');
    expect(parseArgv(validate, ['a.yaml', 'b.yaml']).positionals).toEqual(['a.yaml', 'b.yaml']);
    // --help wins over a stray argument.
    expect(parseArgv(deploy, ['api', '--help']).values.help).toBe(true);
  });
});
