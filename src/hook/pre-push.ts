/** What a push deploys: the refs git hands the pre-push hook, mapped to the environments that deploy on that push. */
import { deploysOnPush, type StackConfig } from '../config/index.js';

export interface PushedRef {
  localRef: string;
  localSha: string;
  remoteRef: string;
}

const ZERO = /^0+$/;

/** Git writes one `<local ref> <local sha> <remote ref> <remote sha>` line per ref on the hook's stdin. */
export function parsePushedRefs(text: string): PushedRef[] {
  return text
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((w) => w.length >= 4 && !ZERO.test(w[1]!)) // a deletion ships nothing
    .map(([localRef, localSha, remoteRef]) => ({
      localRef: localRef!,
      localSha: localSha!,
      remoteRef: remoteRef!,
    }));
}

/**
 * The environments a push of `branch` deploys: those naming the branch, else (for deploy.branch) production, else
 * every environment without a branch of its own. Only those whose platforms deploy on push.
 */
export function environmentsForBranch(config: StackConfig, branch: string): string[] {
  const envs = Object.entries(config.environments);
  let chosen = envs.filter(([, e]) => e.branch === branch).map(([name]) => name);
  if (!chosen.length && branch === config.deploy.branch) {
    const implicit = envs.filter(([, e]) => !e.branch).map(([name]) => name);
    chosen = implicit.includes('production') ? ['production'] : implicit;
  }
  return chosen.filter((e) => deploysOnPush(config, e));
}

export interface PushPlan {
  /** Environment to check, with the commit it ships. */
  checks: { environment: string; branch: string; sha: string }[];
  /** A pushed commit that is not the checked-out one: the gates would look at the wrong tree. */
  notCheckedOut: { branch: string; sha: string }[];
}

export function planPrePush(config: StackConfig, refs: PushedRef[], head: string): PushPlan {
  const plan: PushPlan = { checks: [], notCheckedOut: [] };
  for (const ref of refs) {
    if (!ref.remoteRef.startsWith('refs/heads/')) continue;
    const branch = ref.remoteRef.slice('refs/heads/'.length);
    const environments = environmentsForBranch(config, branch);
    if (!environments.length) continue;
    if (ref.localSha !== head) {
      plan.notCheckedOut.push({ branch, sha: ref.localSha });
      continue;
    }
    for (const environment of environments)
      if (!plan.checks.some((c) => c.environment === environment))
        plan.checks.push({ environment, branch, sha: ref.localSha });
  }
  return plan;
}
