import { describe, expect, it } from 'vitest';
import { spawnTool } from './child.js';

describe('a pg tool that fails', () => {
  it('reports its messages with escape sequences as \\xNN and its lines kept', async () => {
    const { exit } = spawnTool(
      '/bin/sh',
      ['-c', `printf 'pg_dump: error: table "t\\033]0;owned\\007"\\nsecond\\n' >&2; exit 1`],
      {
        env: process.env,
        url: 'postgres://u:pw@127.0.0.1:5432/app',
      },
    );
    expect(await exit).toEqual({ code: 1, stderr: 'pg_dump: error: table "t\\x1b]0;owned\\x07"\nsecond' });
  });
});
