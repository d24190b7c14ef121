/** Cross-field rules: references between sections (services, environments, channels, severities) and policy checks. */
import { Cron } from 'croner';
import type { Diagnostic } from '../diagnostics/index.js';
import type { ConfigPath } from './locate.js';
import { NAMED_SCHEDULES } from './primitives.js';
import { arr, entries, isObj, obj, type Raw, str } from './raw.js';
import { closestMatch } from './suggest.js';

export type RuleDiagnostic = Omit<Diagnostic, 'location'> & { path: ConfigPath; key?: boolean };
type Report = (d: RuleDiagnostic) => void;

function checkRef(report: Report, kind: string, known: string[], name: unknown, path: ConfigPath, code: string) {
  if (typeof name !== 'string' || known.includes(name)) return;
  const guess = closestMatch(name, known);
  report({
    severity: 'error',
    code,
    message: `unknown ${kind} '${name}'`,
    hint: guess ? `did you mean '${guess}'?` : known.length ? `declared ${kind}s: ${known.join(', ')}` : `declare it first`,
    path,
  });
}

function checkSchedule(report: Report, value: unknown, path: ConfigPath) {
  if (typeof value !== 'string' || (NAMED_SCHEDULES as readonly string[]).includes(value)) return;
  try {
    new Cron(value, { paused: true });
  } catch (error) {
    report({
      severity: 'error',
      code: 'config/invalid-schedule',
      message: `'${value}' is not a schedule: ${(error as Error).message.replace(/^CronPattern: /, '')}`,
      hint: `use ${NAMED_SCHEDULES.join(', ')} or a cron expression such as "*/15 * * * *"`,
      path,
    });
  }
}

function dependencyName(dep: unknown): string | undefined {
  return typeof dep === 'string' ? dep : str(obj(dep).service);
}

function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): string[] | undefined => {
    if (state.get(n) === 'done') return undefined;
    if (state.get(n) === 'visiting') return [...stack.slice(stack.indexOf(n)), n];
    state.set(n, 'visiting');
    stack.push(n);
    for (const m of graph.get(n) ?? []) {
      const cycle = visit(m);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(n, 'done');
    return undefined;
  };
  for (const n of graph.keys()) {
    const cycle = visit(n);
    if (cycle) return cycle;
  }
  return undefined;
}

function checkServices(report: Report, config: Raw, envNames: string[], serviceNames: string[]) {
  const graph = new Map<string, string[]>();
  for (const [name, svc] of entries(config.services)) {
    const base = ['services', name];
    const deps = arr(svc.dependsOn);
    graph.set(name, deps.map(dependencyName).filter((d): d is string => Boolean(d)));
    deps.forEach((dep, i) => {
      const target = dependencyName(dep);
      const at = typeof dep === 'string' ? [...base, 'dependsOn', i] : [...base, 'dependsOn', i, 'service'];
      checkRef(report, 'service', serviceNames, target, at, 'config/unknown-service');
      if (target === name) report({ severity: 'error', code: 'config/self-dependency', message: `${name} depends on itself`, path: at });
    });
    for (const env of Object.keys(obj(svc.urls))) checkRef(report, 'environment', envNames, env, [...base, 'urls', env], 'config/unknown-environment');
    for (const env of Object.keys(obj(svc.overrides)))
      checkRef(report, 'environment', envNames, env, [...base, 'overrides', env], 'config/unknown-environment');
    if (svc.schedule !== undefined) checkSchedule(report, svc.schedule, [...base, 'schedule']);
    if (svc.kind === 'cron' && svc.schedule === undefined)
      report({ severity: 'warning', code: 'config/cron-without-schedule', message: `cron service ${name} has no schedule`, hint: 'add schedule: "*/15 * * * *"', path: base, key: true });
    const hasUrl = Object.keys(obj(svc.urls)).length > 0;
    arr(svc.health).forEach((h, i) => {
      if (isObj(h) && h.path !== undefined && h.url === undefined && !hasUrl)
        report({
          severity: 'warning',
          code: 'config/health-without-url',
          message: `${name} has a health path but no URL to resolve it against`,
          hint: 'add urls: { production: https://... } to the service, or give the endpoint a full url',
          path: [...base, 'health', i, 'path'],
        });
    });
    checkEnvContract(report, config, name, svc, serviceNames);
  }
  const cycle = findCycle(graph);
  if (cycle)
    report({
      severity: 'error',
      code: 'config/dependency-cycle',
      message: `services depend on each other in a cycle: ${cycle.join(' -> ')}`,
      hint: 'remove one of these dependsOn entries; opsbook deploys dependencies first',
      path: ['services', cycle[0]!, 'dependsOn'],
    });
}

const SECRET_SHAPES = /^(sk[-_](live|test|ant|proj)|whsec_|ghp_|xox[bp]-|re_[A-Za-z0-9]{8}|eyJ[A-Za-z0-9_-]{10,}\.)/;

function checkEnvContract(report: Report, config: Raw, name: string, svc: Raw, serviceNames: string[]) {
  for (const [variable, spec] of entries(svc.env)) {
    const at = ['services', name, 'env', variable];
    const def = str(spec.default);
    if (spec.secret === true && def !== undefined)
      report({
        severity: 'error',
        code: 'config/secret-default',
        message: `${variable} is secret but has a default value written in the config`,
        hint: 'remove the default; set the value in the platform or a local .env file that is not committed',
        path: [...at, 'default'],
      });
    else if (def && SECRET_SHAPES.test(def))
      report({
        severity: 'error',
        code: 'config/secret-literal',
        message: `the default of ${variable} looks like a real secret`,
        hint: 'never write secret values in opsbook.yaml: mark the variable secret: true and remove the default',
        path: [...at, 'default'],
      });
    const https = spec.https;
    if (def && (https === true || (Array.isArray(https) && https.length > 0)) && /(^|,)\s*http:\/\//.test(def) && https === true)
      report({ severity: 'error', code: 'config/http-default', message: `${variable} must be https but its default uses http://`, hint: 'use an https:// default, or limit https to some environments', path: [...at, 'default'] });
    if (typeof spec.pattern === 'string') {
      try {
        new RegExp(spec.pattern);
      } catch (error) {
        report({ severity: 'error', code: 'config/invalid-pattern', message: `pattern of ${variable}: ${(error as Error).message}`, path: [...at, 'pattern'] });
      }
    }
    const ref = str(spec.from);
    const m = ref ? /^\$\{\{\s*([A-Za-z0-9_-]+)\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/.exec(ref) : null;
    if (m) {
      const target = serviceNames.find((s) => s.toLowerCase() === m[1]!.toLowerCase());
      if (!target) checkRef(report, 'service', serviceNames, m[1], [...at, 'from'], 'config/unknown-reference');
      else {
        const targetSvc = obj(obj(config.services)[target]);
        const declared = Object.keys(obj(targetSvc.env));
        // Databases and caches get their variables from the platform (PGPORT, REDIS_URL...): only warn for deployables.
        const platformManaged = ['database', 'cache', 'external'].includes(String(targetSvc.kind));
        if (!declared.includes(m[2]!) && !platformManaged)
          report({
            severity: 'warning',
            code: 'config/unknown-reference',
            message: `${variable} refers to ${target}.${m[2]}, which ${target}'s env contract does not declare`,
            hint: closestMatch(m[2]!, declared) ? `did you mean ${closestMatch(m[2]!, declared)}?` : `declare ${m[2]} under services.${target}.env`,
            path: [...at, 'from'],
          });
      }
    }
  }
}

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
  const sloIds = arr(config.slos).map((s) => str(obj(s).id)).filter((s): s is string => Boolean(s));

  if (!envNames.includes('production'))
    report({ severity: 'warning', code: 'config/no-production', message: 'no production environment is declared', hint: 'add environments: { production: { protected: true } }', path: ['environments'], key: true });
  checkServices(report, config, envNames, serviceNames);

  const gateIds = new Set<string>();
  arr(config.gates).forEach((g, i) => {
    const gid = str(obj(g).id);
    if (gid && gateIds.has(gid)) report({ severity: 'error', code: 'config/duplicate-id', message: `gate id '${gid}' is used twice`, hint: 'give each gate its own id', path: ['gates', i, 'id'] });
    if (gid) gateIds.add(gid);
    arr(obj(g).environments).forEach((e, j) => checkRef(report, 'environment', envNames, e, ['gates', i, 'environments', j], 'config/unknown-environment'));
  });

  const migrations = obj(config.migrations);
  if (migrations.database !== undefined) {
    checkRef(report, 'service', serviceNames, migrations.database, ['migrations', 'database'], 'config/unknown-service');
    const kind = obj(obj(config.services)[String(migrations.database)]).kind;
    if (kind !== undefined && kind !== 'database')
      report({ severity: 'error', code: 'config/not-a-database', message: `migrations.database '${String(migrations.database)}' is a ${String(kind)} service, not a database`, hint: 'point it at a service of kind: database', path: ['migrations', 'database'] });
  }

  const deploy = obj(config.deploy);
  const seen = new Set<string>();
  arr(deploy.order).forEach((group, i) => {
    const names = Array.isArray(group) ? group.map((n, j) => [n, ['deploy', 'order', i, j]] as const) : [[group, ['deploy', 'order', i]] as const];
    for (const [n, at] of names) {
      checkRef(report, 'service', serviceNames, n, at, 'config/unknown-service');
      if (typeof n === 'string' && seen.has(n)) report({ severity: 'error', code: 'config/duplicate-in-order', message: `${n} appears twice in deploy.order`, path: at });
      if (typeof n === 'string') seen.add(n);
    }
  });
  arr(obj(deploy.verify).smoke).forEach((s, i) => checkRef(report, 'service', serviceNames, obj(s).service, ['deploy', 'verify', 'smoke', i, 'service'], 'config/unknown-service'));

  const announce = obj(config.announcements);
  arr(announce.channels).forEach((c, i) => checkRef(report, 'channel', channelNames, c, ['announcements', 'channels', i], 'config/unknown-channel'));

  arr(config.slos).forEach((s, i) => {
    const slo = obj(s);
    checkRef(report, 'service', serviceNames, slo.service, ['slos', i, 'service'], 'config/unknown-service');
    if (slo.indicator === 'latency' && slo.threshold === undefined)
      report({ severity: 'error', code: 'config/missing-field', message: `latency SLO '${String(slo.id)}' needs a threshold`, hint: 'add threshold: 500ms (and percentile: 95)', path: ['slos', i], key: true });
  });

  arr(config.alerts).forEach((a, i) => {
    const alert = obj(a);
    const at = ['alerts', i];
    if (alert.service !== undefined) checkRef(report, 'service', serviceNames, alert.service, [...at, 'service'], 'config/unknown-service');
    arr(alert.channels).forEach((c, j) => checkRef(report, 'channel', channelNames, c, [...at, 'channels', j], 'config/unknown-channel'));
    if (alert.severity !== undefined && severities.length) checkRef(report, 'severity', severities, alert.severity, [...at, 'severity'], 'config/unknown-severity');
    const need = (field: string, example: string) =>
      alert[field] === undefined &&
      report({ severity: 'error', code: 'config/missing-field', message: `a '${String(alert.when)}' alert needs '${field}'`, hint: `add ${field}: ${example}`, path: at, key: true });
    if (alert.when === 'error-rate') (need('above', '5%'), need('window', '5m'));
    if (alert.when === 'latency') (need('above', '2s'), need('window', '5m'));
    if (alert.when === 'consecutive-failures') need('count', '3');
    if (alert.when === 'burn-rate') {
      need('slo', sloIds[0] ?? 'api-availability');
      if (alert.slo !== undefined) checkRef(report, 'SLO', sloIds, alert.slo, [...at, 'slo'], 'config/unknown-slo');
    }
    if (alert.when === 'error-rate' && typeof alert.above === 'string' && !alert.above.endsWith('%'))
      report({ severity: 'error', code: 'config/invalid-value', message: 'an error-rate threshold is a percentage', hint: 'write above: 5%', path: [...at, 'above'] });
    if (alert.when === 'latency' && (typeof alert.above === 'number' || String(alert.above).endsWith('%')))
      report({ severity: 'error', code: 'config/invalid-value', message: 'a latency threshold is a duration', hint: 'write above: 2s', path: [...at, 'above'] });
  });

  for (const [sev, s] of entries(incidents.severities))
    arr(s.channels).forEach((c, j) => checkRef(report, 'channel', channelNames, c, ['incidents', 'severities', sev, 'channels', j], 'config/unknown-channel'));
  for (const [cname, c] of entries(incidents.contacts))
    if (c.channel !== undefined) checkRef(report, 'channel', channelNames, c.channel, ['incidents', 'contacts', cname, 'channel'], 'config/unknown-channel');
  arr(incidents.escalation).forEach((e, i) => {
    arr(obj(e).notify).forEach((n, j) => checkRef(report, 'contact', contacts, n, ['incidents', 'escalation', i, 'notify', j], 'config/unknown-contact'));
    arr(obj(e).severities).forEach((n, j) => checkRef(report, 'severity', severities, n, ['incidents', 'escalation', i, 'severities', j], 'config/unknown-severity'));
  });
  arr(obj(incidents.postmortem).requiredFor).forEach((n, j) => checkRef(report, 'severity', severities, n, ['incidents', 'postmortem', 'requiredFor', j], 'config/unknown-severity'));

  arr(config.maintenance).forEach((t, i) => {
    checkSchedule(report, obj(t).every, ['maintenance', i, 'every']);
    if (obj(t).service !== undefined) checkRef(report, 'service', serviceNames, obj(t).service, ['maintenance', i, 'service'], 'config/unknown-service');
  });
  arr(config.backups).forEach((b, i) => {
    checkRef(report, 'service', serviceNames, obj(b).database, ['backups', i, 'database'], 'config/unknown-service');
    checkSchedule(report, obj(b).schedule, ['backups', i, 'schedule']);
    if (isObj(obj(b).verify)) checkSchedule(report, obj(obj(b).verify).every, ['backups', i, 'verify', 'every']);
  });
  arr(obj(config.statusPage).components).forEach((c, i) =>
    checkRef(report, 'service', serviceNames, typeof c === 'string' ? c : obj(c).service, ['statusPage', 'components', i], 'config/unknown-service'),
  );
  return out;
}
