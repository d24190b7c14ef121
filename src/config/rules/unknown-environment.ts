import { arr, entries, obj } from '../raw.js';
import { defineRule } from './rule.js';

export const unknownEnvironment = defineRule({
  code: 'config/unknown-environment',
  check({ config, names, reference }) {
    arr(config.gates).forEach((g, i) =>
      arr(obj(g).environments).forEach((e, j) =>
        reference('environment', names.environments, e, ['gates', i, 'environments', j]),
      ),
    );
    arr(config.maintenanceWindows).forEach((w, i) => {
      const env = obj(w).environment;
      if (env !== undefined)
        reference('environment', names.environments, env, ['maintenanceWindows', i, 'environment']);
    });
    // `key`: the mistake is the environment name, so point at it rather than at the URL.
    for (const [name, svc] of entries(config.services))
      for (const field of ['urls', 'overrides'])
        for (const env of Object.keys(obj(svc[field])))
          reference('environment', names.environments, env, ['services', name, field, env], true);
  },
});
