import { arr, obj } from '../raw.js';
import { defineRule } from './rule.js';
import { alerts, dependencies, deployOrder } from './walk.js';

/** Every place a service is named: dependencies, migrations, deploy order and smoke tests, SLOs, alerts, ... */
export const unknownService = defineRule({
  code: 'config/unknown-service',
  check({ config, names, reference }) {
    const ref = (name: unknown, path: readonly PropertyKey[]) =>
      reference('service', names.services, name, path);
    for (const { target, at } of dependencies(config)) ref(target, at);
    const migrations = obj(config.migrations);
    if (migrations.database !== undefined) ref(migrations.database, ['migrations', 'database']);
    for (const { name, at } of deployOrder(config)) ref(name, at);
    arr(obj(obj(config.deploy).verify).smoke).forEach((s, i) =>
      ref(obj(s).service, ['deploy', 'verify', 'smoke', i, 'service']),
    );
    arr(config.slos).forEach((s, i) => ref(obj(s).service, ['slos', i, 'service']));
    for (const { alert, at } of alerts(config))
      if (alert.service !== undefined) ref(alert.service, [...at, 'service']);
    arr(config.maintenance).forEach((t, i) => {
      if (obj(t).service !== undefined) ref(obj(t).service, ['maintenance', i, 'service']);
    });
    arr(config.backups).forEach((b, i) => ref(obj(b).database, ['backups', i, 'database']));
    arr(config.maintenanceWindows).forEach((w, i) =>
      arr(obj(w).services).forEach((s, j) => ref(s, ['maintenanceWindows', i, 'services', j])),
    );
    arr(config.heartbeats).forEach((h, i) => ref(obj(h).service, ['heartbeats', i, 'service']));
    arr(config.upstreams).forEach((u, i) =>
      arr(obj(u).services).forEach((s, j) => ref(s, ['upstreams', i, 'services', j])),
    );
    arr(obj(config.statusPage).components).forEach((c, i) =>
      ref(typeof c === 'string' ? c : obj(c).service, ['statusPage', 'components', i]),
    );
  },
});
