/** The commit a deploy ships and the commits since the environment's last successful deploy: lead-time evidence. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readState } from '../deploy/journal.js';
import type { Store } from '../store/index.js';

const exec = promisify(execFile);

async function git(cwd: string, args: string[]): Promise<string | undefined> {
  try {
    return (await exec('git', args, { cwd })).stdout.trim();
  } catch {
    return undefined;
  }
}

export interface CommitInfo {
  /** HEAD, or null outside a git repository. */
  commit: string | null;
  commitRange: { sha: string; at: string; subject: string }[];
}

/** HEAD, undefined outside a git repository; never rejects, so it can be started early and awaited later. */
export const readHead = (cwd: string): Promise<string | undefined> => git(cwd, ['rev-parse', 'HEAD']);

export async function commitInfo(
  cwd: string,
  store: Store,
  environment: string,
  head: Promise<string | undefined> = readHead(cwd),
): Promise<CommitInfo> {
  const commit = (await head) ?? null;
  if (!commit) return { commit, commitRange: [] };
  const [last] = await store.listRuns({ kind: 'deploy', environment, status: 'succeeded', limit: 1 });
  const since = last ? readState(last)?.commit : undefined;
  const range = since && since !== commit ? `${since}..${commit}` : commit;
  const log = (await git(cwd, ['log', '--format=%H%x09%cI%x09%s', '-n', since ? '200' : '1', range])) ?? '';
  const commitRange = log
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [sha = '', at = '', ...subject] = l.split('\t');
      return { sha, at, subject: subject.join('\t') };
    });
  return { commit, commitRange };
}
