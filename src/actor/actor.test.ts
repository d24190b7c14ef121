import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { currentActor, readActor } from './index.js';

const repo = mkdtempSync(join(tmpdir(), 'opsbook-actor-'));
const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'ignore' });
git('init', '-q');
// Set in the repository, so they come after any global identity: the last value wins, as `git config user.name` reads it.
git('config', 'user.name', 'Ada Lovelace');
git('config', 'user.email', 'ada@example.com');
afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe('the acting person', () => {
  it("is the repository's git identity, read in one git process, blocking or not", async () => {
    expect(currentActor(repo, {})).toBe('Ada Lovelace <ada@example.com>');
    expect(await readActor(repo, {})).toBe('Ada Lovelace <ada@example.com>');
  });

  it('is OPSBOOK_ACTOR when set, without asking git', async () => {
    const env = { OPSBOOK_ACTOR: 'deploy-bot' };
    expect(currentActor(repo, env)).toBe('deploy-bot');
    expect(await readActor(repo, env)).toBe('deploy-bot');
  });
});
