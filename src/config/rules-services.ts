/** Cross-field rules of the services section: dependencies (and their cycles), URLs, schedules, the env contract. */

import { arr, entries, isObj, obj, type Raw, str } from './raw.js';
import { checkRef, checkSchedule, type Report } from './rule-helpers.js';
import { closestMatch } from './suggest.js';

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

export function checkServices(report: Report, config: Raw, envNames: string[], serviceNames: string[]) {
  const graph = new Map<string, string[]>();
  for (const [name, svc] of entries(config.services)) {
    const base = ['services', name];
    const deps = arr(svc.dependsOn);
    graph.set(
      name,
      deps.map(dependencyName).filter((d): d is string => Boolean(d)),
    );
    deps.forEach((dep, i) => {
      const target = dependencyName(dep);
      const at = typeof dep === 'string' ? [...base, 'dependsOn', i] : [...base, 'dependsOn', i, 'service'];
      checkRef(report, 'service', serviceNames, target, at, 'config/unknown-service');
      if (target === name)
        report({
          severity: 'error',
          code: 'config/self-dependency',
          message: `${name} depends on itself`,
          path: at,
        });
    });
    // `key`: the mistake is the environment name, so point at it rather than at the URL.
    for (const env of Object.keys(obj(svc.urls)))
      checkRef(
        report,
        'environment',
        envNames,
        env,
        [...base, 'urls', env],
        'config/unknown-environment',
        true,
      );
    for (const env of Object.keys(obj(svc.overrides)))
      checkRef(
        report,
        'environment',
        envNames,
        env,
        [...base, 'overrides', env],
        'config/unknown-environment',
        true,
      );
    if (svc.schedule !== undefined) checkSchedule(report, svc.schedule, [...base, 'schedule']);
    if (svc.kind === 'cron' && svc.schedule === undefined)
      report({
        severity: 'warning',
        code: 'config/cron-without-schedule',
        message: `cron service ${name} has no schedule`,
        hint: 'add schedule: "*/15 * * * *"',
        path: base,
        key: true,
      });
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

const SECRET_SHAPES =
  /^(sk[-_](live|test|ant|proj)|whsec_|ghp_|xox[bp]-|re_[A-Za-z0-9]{8}|eyJ[A-Za-z0-9_-]{10,}\.)/;

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
    if (
      def &&
      (https === true || (Array.isArray(https) && https.length > 0)) &&
      /(^|,)\s*http:\/\//.test(def) &&
      https === true
    )
      report({
        severity: 'error',
        code: 'config/http-default',
        message: `${variable} must be https but its default uses http://`,
        hint: 'use an https:// default, or limit https to some environments',
        path: [...at, 'default'],
      });
    if (typeof spec.pattern === 'string') {
      try {
        new RegExp(spec.pattern);
      } catch (error) {
        report({
          severity: 'error',
          code: 'config/invalid-pattern',
          message: `pattern of ${variable}: ${(error as Error).message}`,
          path: [...at, 'pattern'],
        });
      }
    }
    const ref = str(spec.from);
    const m = ref ? /^\$\{\{\s*([A-Za-z0-9_-]+)\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/.exec(ref) : null;
    if (m) {
      const target = serviceNames.find((s) => s.toLowerCase() === m[1]!.toLowerCase());
      if (!target)
        checkRef(report, 'service', serviceNames, m[1], [...at, 'from'], 'config/unknown-reference');
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
            hint: closestMatch(m[2]!, declared)
              ? `did you mean ${closestMatch(m[2]!, declared)}?`
              : `declare ${m[2]} under services.${target}.env`,
            path: [...at, 'from'],
          });
      }
    }
  }
}
