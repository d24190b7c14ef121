/** The git pre-push hook: install, remove and inspect it, and decide what a push must pass before it ships. */
export { type HookState, hookScript, hookState, installHook, locateHook, uninstallHook } from './install.js';
export { environmentsForBranch, type PushPlan, parsePushedRefs, planPrePush } from './pre-push.js';
