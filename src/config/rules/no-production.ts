import { defineRule } from './rule.js';

export const noProduction = defineRule({
  code: 'config/no-production',
  check({ names, report }) {
    if (!names.environments.includes('production'))
      report({
        severity: 'warning',
        message: 'no production environment is declared',
        hint: 'add environments: { production: { protected: true } }',
        path: ['environments'],
        key: true,
      });
  },
});
