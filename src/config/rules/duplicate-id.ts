import { arr, obj, str } from '../raw.js';
import { defineRule } from './rule.js';

export const duplicateId = defineRule({
  code: 'config/duplicate-id',
  check({ config, report }) {
    const seen = new Set<string>();
    arr(config.gates).forEach((g, i) => {
      const id = str(obj(g).id);
      if (id && seen.has(id))
        report({
          severity: 'error',
          message: `gate id '${id}' is used twice`,
          hint: 'give each gate its own id',
          path: ['gates', i, 'id'],
        });
      if (id) seen.add(id);
    });
  },
});
