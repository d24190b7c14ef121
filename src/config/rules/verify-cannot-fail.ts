import { durationMs, isObj, obj } from '../raw.js';
import { defineRule } from './rule.js';

/** Why a window of `count` measurements proves nothing against `failureLimit`; shared by validate, plan and run. */
export function cannotFail(count: number, failureLimit: number): string {
  return `the bake window takes ${count} measurement(s), which cannot exceed the failure limit of ${failureLimit}: verification could not have failed`;
}

/** A bake window whose measurements can never exceed the failure limit verifies nothing. */
export const verifyCannotFail = defineRule({
  code: 'config/verify-cannot-fail',
  check({ config, report }) {
    const verify = obj(obj(config.deploy).verify);
    const bake = durationMs(verify.bake, '2m');
    const interval = durationMs(verify.interval, '15s');
    const limit = typeof verify.failureLimit === 'number' ? verify.failureLimit : 2;
    if (bake === undefined || interval === undefined) return;
    const count = Math.max(1, Math.round(bake / Math.max(interval, 1)));
    if (count > limit) return;
    report({
      severity: 'warning',
      message: cannotFail(count, limit),
      hint: `lower deploy.verify.failureLimit below ${count}, or lengthen deploy.verify.bake`,
      path:
        isObj(config.deploy) && 'failureLimit' in verify ? ['deploy', 'verify', 'failureLimit'] : ['deploy'],
    });
  },
});
