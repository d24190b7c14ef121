import { defineRule } from './rule.js';
import { alerts } from './walk.js';

export const unknownSlo = defineRule({
  code: 'config/unknown-slo',
  check({ config, names, reference }) {
    for (const { alert, at } of alerts(config))
      if (alert.when === 'burn-rate' && alert.slo !== undefined)
        reference('SLO', names.slos, alert.slo, [...at, 'slo']);
  },
});
