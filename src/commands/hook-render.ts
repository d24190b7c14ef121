/** How `opsbook hook` prints: the install, the removal, the state, and what the pre-push hook decided. */
import type { HookInstallResult, HookPrePushOptions, HookPrePushResult } from '../app/hook.js';
import type { HookState } from '../hook/index.js';
import type { Output } from '../output/index.js';
import { checkProgress, printCheck } from './check-render.js';

const STATE_WORDS: Record<HookState, string> = {
  installed: 'installed',
  outdated: "installed by another opsbook (run 'opsbook hook install' to update it)",
  foreign: 'a pre-push hook opsbook did not write',
  absent: "not installed (run 'opsbook hook install')",
};

export function printInstall(out: Output, r: HookInstallResult): void {
  out.success(
    r.changed ? `pre-push hook written to ${r.path}` : `pre-push hook already installed at ${r.path}`,
  );
  if (!r.pushing.length)
    out.warn(
      'no environment deploys on push (deploy.trigger or environments.*.autoDeploy): the hook will check nothing',
    );
}

export function printState(out: Output, s: { path: string; state: HookState }): void {
  out.line(`${s.path}: ${STATE_WORDS[s.state]}`);
}

/** Each environment's gates as they run, as `opsbook check` shows them. */
export function prePushWatcher(out: Output): HookPrePushOptions['onCheck'] {
  return (c) => {
    out.note(`opsbook: ${c.branch} deploys ${c.environment} on push; running its gates first`);
    const progress = checkProgress(out, c.environment);
    return {
      onUpdate: progress.onUpdate,
      done: (result) => {
        progress.done(result);
        printCheck(out, result, c.environment, undefined);
      },
    };
  };
}

export function printPrePush(out: Output, r: HookPrePushResult): void {
  if (r.status === 'not-checked-out') {
    const what = r.plan.notCheckedOut.map((n) => `${n.branch} at ${n.sha.slice(0, 12)}`).join(', ');
    out.error(
      `push refused: ${what} deploys on push but is not checked out, so its gates cannot be run here`,
      'check it out and push again (or git push --no-verify to skip the gates)',
    );
  } else if (r.status === 'nothing') out.note('opsbook: this push deploys nothing; no gates to run');
  else if (r.ok) out.success('opsbook: gates passed; pushing');
  else
    out.error(
      'push refused: a required gate failed',
      'fix it and push again (git push --no-verify skips the gates)',
    );
}
