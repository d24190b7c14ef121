import { describe, expect, it } from 'vitest';
import { globalsFirst } from './globals-first.js';

describe('global options before the command', () => {
  it('are moved after the command and its arguments', () => {
    expect(globalsFirst(['--cwd', 'app', '--json', 'migrate', 'lint', 'x.sql'])).toEqual([
      'migrate',
      'lint',
      'x.sql',
      '--cwd',
      'app',
      '--json',
    ]);
    expect(globalsFirst(['-c', 'ci.yaml', '--config=b.yaml', 'check'])).toEqual([
      'check',
      '-c',
      'ci.yaml',
      '--config=b.yaml',
    ]);
  });

  it('stay before a -- that ends the options', () => {
    expect(globalsFirst(['--plain', 'secrets', '--', '--json'])).toEqual([
      'secrets',
      '--plain',
      '--',
      '--json',
    ]);
  });

  it('leave argv alone when none comes first, or no command follows', () => {
    expect(globalsFirst(['status', '--json'])).toEqual(['status', '--json']);
    expect(globalsFirst(['--json'])).toEqual(['--json']);
    expect(globalsFirst(['--cwd'])).toEqual(['--cwd']);
    expect(globalsFirst(['--env', 'x', 'deploy'])).toEqual(['--env', 'x', 'deploy']);
  });
});
