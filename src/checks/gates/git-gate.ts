/** The `git` gate: a clean tree, on the deploy branch, and not behind its upstream when the upstream is reachable. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Gate } from '../../config/index.js';
import type { GateContext, GateOutcome } from './types.js';

const exec = promisify(execFile);

async function git(cwd: string, args: string[], timeoutMs = 15_000, trim = true): Promise<string> {
  const { stdout } = await exec('git', args, {
    cwd,
    timeout: timeoutMs,
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
  });
  return trim ? stdout.trim() : stdout;
}

export async function runGitGate(gate: Gate, ctx: GateContext): Promise<GateOutcome> {
  const problems: string[] = [];
  const notes: string[] = [];
  try {
    await git(ctx.cwd, ['rev-parse', '--is-inside-work-tree']);
  } catch {
    return { status: 'failed', summary: 'not a git repository', evidence: { repo: false } };
  }
  const branch = await git(ctx.cwd, ['rev-parse', '--abbrev-ref', 'HEAD']).catch(() => 'HEAD');
  const commit = await git(ctx.cwd, ['rev-parse', '--short', 'HEAD']).catch(() => '(none)');
  const expected = ctx.config.environments[ctx.environment]?.branch ?? ctx.config.deploy.branch;
  if (gate.options?.allowAnyBranch !== true && branch !== expected)
    problems.push(`on branch '${branch}', but ${ctx.environment} deploys '${expected}'`);

  // -z: entries are `XY path` exactly as written (no trimming of the leading status column, no quoting).
  const dirty = (
    await git(ctx.cwd, ['status', '--porcelain', '-z', '--', '.', ':(exclude).opsbook'], 15_000, false)
  )
    .split('\0')
    .filter((entry) => /^[ MADRCU?!T]{2} /.test(entry));
  if (dirty.length) problems.push(`${dirty.length} uncommitted change(s), e.g. ${dirty[0]?.slice(3)}`);

  let behind: number | null = null;
  const upstream = await git(ctx.cwd, ['rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{u}']).catch(
    () => '',
  );
  if (!upstream) notes.push('no upstream branch');
  else {
    const remote = upstream.split('/')[0] ?? 'origin';
    const fetched = await git(ctx.cwd, ['fetch', '--quiet', remote], 20_000).then(
      () => true,
      () => false,
    );
    if (!fetched) notes.push(`upstream ${upstream} unreachable; compared with the last fetch`);
    behind = Number(await git(ctx.cwd, ['rev-list', '--count', `HEAD..${upstream}`]).catch(() => '0'));
    if (behind > 0) problems.push(`${behind} commit(s) behind ${upstream}: pull first`);
  }
  const evidence = { branch, commit, dirty: dirty.length, upstream: upstream || null, behind };
  if (problems.length) return { status: 'failed', summary: problems.join('; '), evidence };
  return {
    status: 'passed',
    summary: `clean, on ${branch} at ${commit}${upstream ? `, up to date with ${upstream}` : ''}${notes.length ? ` (${notes.join('; ')})` : ''}`,
    evidence,
  };
}
