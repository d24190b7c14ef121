import { arr, entries, isObj, obj } from '../raw.js';
import { defineRule } from './rule.js';

const DEPLOYABLE = ['web', 'worker', 'cron', 'static'];
const MEASURED = ['liveness', 'readiness', 'deep', 'smoke'];

/** Deployable services but no endpoint verification could probe: every deploy would end inconclusive. */
export const verifyNothingToMeasure = defineRule({
  code: 'config/verify-nothing-to-measure',
  check({ config, report }) {
    const deployable = entries(config.services).filter(
      ([, s]) => DEPLOYABLE.includes(String(s.kind)) && isObj(s.provider) && s.provider.type !== 'none',
    );
    if (!deployable.length) return;
    const measured = deployable.some(([, s]) =>
      arr(s.health).some((h) => isObj(h) && MEASURED.includes(String(h.type))),
    );
    if (measured || arr(obj(obj(config.deploy).verify).smoke).length) return;
    report({
      severity: 'warning',
      message: `deploy verification has nothing to measure: ${deployable.map(([n]) => n).join(', ')} declare no liveness, readiness, deep or smoke endpoint`,
      hint: 'add a health endpoint to a deployed service (services.NAME.health), or smoke requests under deploy.verify.smoke',
      path: ['services'],
    });
  },
});
