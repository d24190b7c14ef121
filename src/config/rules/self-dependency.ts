import { defineRule } from './rule.js';
import { dependencies } from './walk.js';

export const selfDependency = defineRule({
  code: 'config/self-dependency',
  check({ config, report }) {
    for (const { service, target, at } of dependencies(config))
      if (target === service)
        report({ severity: 'error', message: `${service} depends on itself`, path: at });
  },
});
