/**
 * The git pre-push hook that runs the gates before a push-triggered platform builds: written where git looks for
 * hooks (core.hooksPath respected), never over a hook opsbook did not write unless forced, idempotent.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { UserError } from '../errors.js';

const exec = promisify(execFile);
/** The line that says a hook is opsbook's: uninstall and reinstall touch only hooks carrying it. */
export const HOOK_MARKER = '# opsbook pre-push hook';

export type HookState = 'installed' | 'outdated' | 'foreign' | 'absent';

export interface HookLocation {
  /** Absolute path of the pre-push hook file. */
  path: string;
  /** The repository's top level, and the config folder relative to it. */
  root: string;
  configDir: string;
}

async function git(cwd: string, args: string[]): Promise<string> {
  try {
    return (await exec('git', args, { cwd })).stdout.trim();
  } catch {
    throw new UserError(
      `${cwd} is not inside a git repository`,
      'run `git init`, or run opsbook hook in your checkout',
    );
  }
}

export async function locateHook(cwd: string): Promise<HookLocation> {
  const root = await git(cwd, ['rev-parse', '--show-toplevel']);
  // --git-path follows core.hooksPath and worktrees, exactly where git will look.
  const path = resolve(cwd, await git(cwd, ['rev-parse', '--git-path', 'hooks/pre-push']));
  return { path, root, configDir: relative(root, resolve(cwd)) || '.' };
}

const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/** The hook script: the opsbook that installed it if still there, else the project's, else the one on PATH. */
export function hookScript(location: HookLocation, cli: { node: string; main: string }): string {
  return `#!/bin/sh
${HOOK_MARKER} (written by \`opsbook hook install\`; \`opsbook hook uninstall\` removes it)
# Runs \`opsbook check\` for the environment the pushed branch deploys to, before the platform builds it.
# Skip once with \`git push --no-verify\`; confirm a manual gate with OPSBOOK_CONFIRM=id[,id] git push.
cd "$(git rev-parse --show-toplevel)"/${quote(location.configDir)} || exit 1
if [ -f ${quote(cli.main)} ]; then
  exec ${quote(cli.node)} ${quote(cli.main)} hook pre-push "$@"
elif [ -x node_modules/.bin/opsbook ]; then
  exec node_modules/.bin/opsbook hook pre-push "$@"
elif command -v opsbook >/dev/null 2>&1; then
  exec opsbook hook pre-push "$@"
fi
echo "opsbook pre-push hook: opsbook is not installed here (npm install, or opsbook hook uninstall)" >&2
exit 1
`;
}

export async function hookState(location: HookLocation, script: string): Promise<HookState> {
  if (!existsSync(location.path)) return 'absent';
  const text = await readFile(location.path, 'utf8');
  if (!text.includes(HOOK_MARKER)) return 'foreign';
  return text === script ? 'installed' : 'outdated';
}

export interface InstallResult {
  path: string;
  /** What was there before. */
  before: HookState;
  changed: boolean;
}

export async function installHook(
  cwd: string,
  cli: { node: string; main: string },
  force = false,
): Promise<InstallResult> {
  const location = await locateHook(cwd);
  const script = hookScript(location, cli);
  const before = await hookState(location, script);
  if (before === 'foreign' && !force)
    throw new UserError(
      `${location.path} is a pre-push hook opsbook did not write; leaving it as it is`,
      'call `opsbook hook pre-push "$@"` from it yourself, or replace it with `opsbook hook install --force`',
      'hook/foreign',
    );
  if (before === 'installed') return { path: location.path, before, changed: false };
  await mkdir(dirname(location.path), { recursive: true });
  await writeFile(location.path, script);
  await chmod(location.path, 0o755);
  return { path: location.path, before, changed: true };
}

export async function uninstallHook(cwd: string): Promise<{ path: string; removed: boolean }> {
  const location = await locateHook(cwd);
  if (!existsSync(location.path)) return { path: location.path, removed: false };
  if (!(await readFile(location.path, 'utf8')).includes(HOOK_MARKER))
    throw new UserError(
      `${location.path} is a pre-push hook opsbook did not write; not removing it`,
      'remove it by hand if it should go',
      'hook/foreign',
    );
  await rm(location.path);
  return { path: location.path, removed: true };
}
