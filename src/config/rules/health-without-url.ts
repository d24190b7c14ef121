import { arr, entries, isObj, obj } from '../raw.js';
import { defineRule } from './rule.js';

export const healthWithoutUrl = defineRule({
  code: 'config/health-without-url',
  check({ config, report }) {
    for (const [name, svc] of entries(config.services)) {
      if (Object.keys(obj(svc.urls)).length > 0) continue;
      arr(svc.health).forEach((h, i) => {
        if (isObj(h) && h.path !== undefined && h.url === undefined)
          report({
            severity: 'warning',
            message: `${name} has a health path but no URL to resolve it against`,
            hint: 'add urls: { production: https://... } to the service, or give the endpoint a full url',
            path: ['services', name, 'health', i, 'path'],
          });
      });
    }
  },
});
