/** Cross-field rules: references between sections (services, environments, channels, severities) and policy checks. */
import { arr, entries, isObj, obj, str } from './raw.js';
import { checkRef, checkSchedule, type Report, type RuleDiagnostic } from './rule-helpers.js';
import { checkServices } from './rules-services.js';

export type { RuleDiagnostic } from './rule-helpers.js';

export function checkRules(config: unknown): RuleDiagnostic[] {
  const out: RuleDiagnostic[] = [];
  const report: Report = (d) => out.push(d);
  if (!isObj(config)) return out;
  const envNames = isObj(config.environments) ? Object.keys(config.environments) : ['production'];
  const serviceNames = Object.keys(obj(config.services));
  const channelNames = Object.keys(obj(config.channels));
  const incidents = obj(config.incidents);
  const severities = Object.keys(obj(incidents.severities));
  const contacts = Object.keys(obj(incidents.contacts));
  const sloIds = arr(config.slos)
    .map((s) => str(obj(s).id))
    .filter((s): s is string => Boolean(s));

  if (!envNames.includes('production'))
    report({
      severity: 'warning',
      code: 'config/no-production',
      message: 'no production environment is declared',
      hint: 'add environments: { production: { protected: true } }',
      path: ['environments'],
      key: true,
    });
  checkServices(report, config, envNames, serviceNames);

  const gateIds = new Set<string>();
  arr(config.gates).forEach((g, i) => {
    const gid = str(obj(g).id);
    if (gid && gateIds.has(gid))
      report({
        severity: 'error',
        code: 'config/duplicate-id',
        message: `gate id '${gid}' is used twice`,
        hint: 'give each gate its own id',
        path: ['gates', i, 'id'],
      });
    if (gid) gateIds.add(gid);
    arr(obj(g).environments).forEach((e, j) =>
      checkRef(
        report,
        'environment',
        envNames,
        e,
        ['gates', i, 'environments', j],
        'config/unknown-environment',
      ),
    );
  });

  const migrations = obj(config.migrations);
  if (migrations.database !== undefined) {
    checkRef(
      report,
      'service',
      serviceNames,
      migrations.database,
      ['migrations', 'database'],
      'config/unknown-service',
    );
    const kind = obj(obj(config.services)[String(migrations.database)]).kind;
    if (kind !== undefined && kind !== 'database')
      report({
        severity: 'error',
        code: 'config/not-a-database',
        message: `migrations.database '${String(migrations.database)}' is a ${String(kind)} service, not a database`,
        hint: 'point it at a service of kind: database',
        path: ['migrations', 'database'],
      });
  }

  const deploy = obj(config.deploy);
  const seen = new Set<string>();
  arr(deploy.order).forEach((group, i) => {
    const names = Array.isArray(group)
      ? group.map((n, j) => [n, ['deploy', 'order', i, j]] as const)
      : [[group, ['deploy', 'order', i]] as const];
    for (const [n, at] of names) {
      checkRef(report, 'service', serviceNames, n, at, 'config/unknown-service');
      if (typeof n === 'string' && seen.has(n))
        report({
          severity: 'error',
          code: 'config/duplicate-in-order',
          message: `${n} appears twice in deploy.order`,
          path: at,
        });
      if (typeof n === 'string') seen.add(n);
    }
  });
  arr(obj(deploy.verify).smoke).forEach((s, i) =>
    checkRef(
      report,
      'service',
      serviceNames,
      obj(s).service,
      ['deploy', 'verify', 'smoke', i, 'service'],
      'config/unknown-service',
    ),
  );

  const announce = obj(config.announcements);
  arr(announce.channels).forEach((c, i) =>
    checkRef(report, 'channel', channelNames, c, ['announcements', 'channels', i], 'config/unknown-channel'),
  );

  arr(config.slos).forEach((s, i) => {
    const slo = obj(s);
    checkRef(report, 'service', serviceNames, slo.service, ['slos', i, 'service'], 'config/unknown-service');
    if (slo.indicator === 'latency' && slo.threshold === undefined)
      report({
        severity: 'error',
        code: 'config/missing-field',
        message: `latency SLO '${String(slo.id)}' needs a threshold`,
        hint: 'add threshold: 500ms (and percentile: 95)',
        path: ['slos', i],
        key: true,
      });
  });

  arr(config.alerts).forEach((a, i) => {
    const alert = obj(a);
    const at = ['alerts', i];
    if (alert.service !== undefined)
      checkRef(report, 'service', serviceNames, alert.service, [...at, 'service'], 'config/unknown-service');
    arr(alert.channels).forEach((c, j) =>
      checkRef(report, 'channel', channelNames, c, [...at, 'channels', j], 'config/unknown-channel'),
    );
    if (alert.severity !== undefined && severities.length)
      checkRef(
        report,
        'severity',
        severities,
        alert.severity,
        [...at, 'severity'],
        'config/unknown-severity',
      );
    const need = (field: string, example: string) =>
      alert[field] === undefined &&
      report({
        severity: 'error',
        code: 'config/missing-field',
        message: `a '${String(alert.when)}' alert needs '${field}'`,
        hint: `add ${field}: ${example}`,
        path: at,
        key: true,
      });
    if (alert.when === 'error-rate') {
      need('above', '5%');
      need('window', '5m');
    }
    if (alert.when === 'latency') {
      need('above', '2s');
      need('window', '5m');
    }
    if (alert.when === 'consecutive-failures') need('count', '3');
    if (alert.when === 'burn-rate') {
      need('slo', sloIds[0] ?? 'api-availability');
      if (alert.slo !== undefined)
        checkRef(report, 'SLO', sloIds, alert.slo, [...at, 'slo'], 'config/unknown-slo');
    }
    if (alert.when === 'error-rate' && typeof alert.above === 'string' && !alert.above.endsWith('%'))
      report({
        severity: 'error',
        code: 'config/invalid-value',
        message: 'an error-rate threshold is a percentage',
        hint: 'write above: 5%',
        path: [...at, 'above'],
      });
    if (alert.when === 'latency' && (typeof alert.above === 'number' || String(alert.above).endsWith('%')))
      report({
        severity: 'error',
        code: 'config/invalid-value',
        message: 'a latency threshold is a duration',
        hint: 'write above: 2s',
        path: [...at, 'above'],
      });
  });

  for (const [sev, s] of entries(incidents.severities))
    arr(s.channels).forEach((c, j) =>
      checkRef(
        report,
        'channel',
        channelNames,
        c,
        ['incidents', 'severities', sev, 'channels', j],
        'config/unknown-channel',
      ),
    );
  for (const [cname, c] of entries(incidents.contacts))
    if (c.channel !== undefined)
      checkRef(
        report,
        'channel',
        channelNames,
        c.channel,
        ['incidents', 'contacts', cname, 'channel'],
        'config/unknown-channel',
      );
  arr(incidents.escalation).forEach((e, i) => {
    arr(obj(e).notify).forEach((n, j) =>
      checkRef(
        report,
        'contact',
        contacts,
        n,
        ['incidents', 'escalation', i, 'notify', j],
        'config/unknown-contact',
      ),
    );
    arr(obj(e).severities).forEach((n, j) =>
      checkRef(
        report,
        'severity',
        severities,
        n,
        ['incidents', 'escalation', i, 'severities', j],
        'config/unknown-severity',
      ),
    );
  });
  arr(obj(incidents.postmortem).requiredFor).forEach((n, j) =>
    checkRef(
      report,
      'severity',
      severities,
      n,
      ['incidents', 'postmortem', 'requiredFor', j],
      'config/unknown-severity',
    ),
  );

  arr(config.maintenance).forEach((t, i) => {
    checkSchedule(report, obj(t).every, ['maintenance', i, 'every']);
    if (obj(t).service !== undefined)
      checkRef(
        report,
        'service',
        serviceNames,
        obj(t).service,
        ['maintenance', i, 'service'],
        'config/unknown-service',
      );
  });
  arr(config.backups).forEach((b, i) => {
    checkRef(
      report,
      'service',
      serviceNames,
      obj(b).database,
      ['backups', i, 'database'],
      'config/unknown-service',
    );
    checkSchedule(report, obj(b).schedule, ['backups', i, 'schedule']);
    if (isObj(obj(b).verify))
      checkSchedule(report, obj(obj(b).verify).every, ['backups', i, 'verify', 'every']);
  });
  arr(obj(config.statusPage).components).forEach((c, i) =>
    checkRef(
      report,
      'service',
      serviceNames,
      typeof c === 'string' ? c : obj(c).service,
      ['statusPage', 'components', i],
      'config/unknown-service',
    ),
  );
  return out;
}
