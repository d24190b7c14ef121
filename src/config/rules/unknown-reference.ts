import { obj, str } from '../raw.js';
import { closestMatch } from '../suggest.js';
import { defineRule } from './rule.js';
import { envVariables } from './walk.js';

const REFERENCE = /^\$\{\{\s*([A-Za-z0-9_-]+)\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/;
// Databases and caches get their variables from the platform (PGPORT, REDIS_URL...): only warn for deployables.
const PLATFORM_MANAGED = ['database', 'cache', 'external'];

/** `from: ${{ service.VARIABLE }}` in an env contract names a service, and a variable it declares. */
export const unknownReference = defineRule({
  code: 'config/unknown-reference',
  check({ config, names, report, reference }) {
    for (const { variable, spec, at } of envVariables(config)) {
      const m = REFERENCE.exec(str(spec.from) ?? '');
      if (!m) continue;
      const [, service, name] = m as unknown as [string, string, string];
      const target = names.services.find((s) => s.toLowerCase() === service.toLowerCase());
      if (!target) {
        reference('service', names.services, service, [...at, 'from']);
        continue;
      }
      const targetSvc = obj(obj(config.services)[target]);
      const declared = Object.keys(obj(targetSvc.env));
      if (declared.includes(name) || PLATFORM_MANAGED.includes(String(targetSvc.kind))) continue;
      const guess = closestMatch(name, declared);
      report({
        severity: 'warning',
        message: `${variable} refers to ${target}.${name}, which ${target}'s env contract does not declare`,
        hint: guess ? `did you mean ${guess}?` : `declare ${name} under services.${target}.env`,
        path: [...at, 'from'],
      });
    }
  },
});
