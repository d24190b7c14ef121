import { defineRule } from './rule.js';
import { deployOrder } from './walk.js';

export const duplicateInOrder = defineRule({
  code: 'config/duplicate-in-order',
  check({ config, report }) {
    const seen = new Set<string>();
    for (const { name, at } of deployOrder(config)) {
      if (typeof name !== 'string') continue;
      if (seen.has(name))
        report({ severity: 'error', message: `${name} appears twice in deploy.order`, path: at });
      seen.add(name);
    }
  },
});
