/**
 * Compiles the config's `alerts` (and the burn-rate alerts SLOs ask for) into one rule per service,
 * with every default applied, plus the critical-dependency graph inhibition follows.
 */
import {
  type Alert,
  parseDuration,
  parsePercent,
  resolveEnvironment,
  type Slo,
  type StackConfig,
} from '../config/index.js';
import { BURN_RATE_PAGE, BURN_RATE_TICKET, burnWindows } from '../slo/index.js';
import type { DependencyGraph } from './inhibition.js';
import type { AlertCondition, AlertRule, NoticeSeverity } from './types.js';

/** Fewer checks than this in a window say nothing about a rate; override per rule with `minSamples`. */
export const DEFAULT_MIN_SAMPLES = 3;
const DEFAULT_CERTIFICATE_WITHIN = '14d';

export interface CompiledRules {
  rules: AlertRule[];
  graph: DependencyGraph;
}

export function compileRules(config: StackConfig, environment: string): CompiledRules {
  const services = resolveEnvironment(config, environment);
  const names = services.map((s) => s.name);
  const graph: DependencyGraph = new Map(services.map((s) => [s.name, s.dependencies]));
  const rules: AlertRule[] = [];
  const slos = new Map(config.slos.map((s) => [s.id, s]));

  for (const alert of config.alerts) {
    const targets = alert.service ? [alert.service] : names;
    for (const service of targets) {
      if (!names.includes(service)) continue; // disabled in this environment
      const condition = conditionOf(alert, alert.slo ? slos.get(alert.slo) : undefined);
      if (condition) rules.push(ruleOf(config, environment, alert, service, condition));
    }
  }

  const explicit = new Set(config.alerts.filter((a) => a.when === 'burn-rate').map((a) => a.slo));
  for (const slo of config.slos) {
    if (!slo.burnRateAlerts || explicit.has(slo.id) || !names.includes(slo.service)) continue;
    for (const [kind, budgets] of [
      ['page', BURN_RATE_PAGE],
      ['ticket', BURN_RATE_TICKET],
    ] as const) {
      const alert: Alert = {
        id: `${slo.id}-burn-${kind}`,
        service: slo.service,
        description: `SLO ${slo.id} is burning its error budget too fast (${kind}).`,
        when: 'burn-rate',
        slo: slo.id,
        for: '0s',
        channels: [],
        repeatInterval: kind === 'page' ? '1h' : '1d',
      };
      const condition: AlertCondition = {
        kind: 'burn-rate',
        slo: slo.id,
        windows: burnWindows(budgets, parseDuration(slo.window)),
        minSamples: DEFAULT_MIN_SAMPLES,
      };
      rules.push(
        ruleOf(config, environment, alert, slo.service, condition, kind === 'page' ? 'critical' : 'warning'),
      );
    }
  }
  rules.push(...fallingBehindRules(config, environment));
  return { rules, graph };
}

/** The built-in alert's id, and the service label it carries: opsbook's own monitor engine. */
export const FALLING_BEHIND_RULE = 'opsbook-falling-behind';
export const ENGINE_SERVICE = 'opsbook';

/**
 * An engine that cannot keep up stretches every interval, so every other alert reacts late: it must be heard
 * even when nobody configured it. Built in with the normal routing (every channel, silences match
 * `alertname=opsbook-falling-behind`); an alert with `when: falling-behind` replaces it (its id, channels,
 * for, severity). `for` rides over a single late burst (a start-up backlog); keepFiringFor keeps one episode
 * one notification while the engine hovers around the threshold.
 */
function fallingBehindRules(config: StackConfig, environment: string): AlertRule[] {
  const configured = config.alerts.filter((a) => a.when === 'falling-behind');
  const alerts: Alert[] = configured.length
    ? configured
    : [
        {
          id: FALLING_BEHIND_RULE,
          description:
            'The monitor engine starts checks later than due: intervals stretch and alerts react late. Add an instance on the PostgreSQL store, or lengthen intervals.',
          when: 'falling-behind',
          for: '1m',
          keepFiringFor: '5m',
          channels: [],
          repeatInterval: '1d',
        },
      ];
  return alerts.map((alert) =>
    ruleOf(config, environment, { keepFiringFor: '5m', ...alert }, ENGINE_SERVICE, {
      kind: 'falling-behind',
    }),
  );
}

function conditionOf(alert: Alert, slo: Slo | undefined): AlertCondition | undefined {
  const minSamples = alert.minSamples ?? DEFAULT_MIN_SAMPLES;
  const windowMs = parseDuration(alert.window ?? '5m');
  switch (alert.when) {
    case 'down':
      return { kind: 'down' };
    case 'consecutive-failures':
      return { kind: 'consecutive-failures', count: alert.count ?? 3 };
    case 'error-rate':
      return { kind: 'error-rate', above: parsePercent(alert.above ?? '5%') / 100, windowMs, minSamples };
    case 'latency':
      return {
        kind: 'latency',
        percentile: alert.percentile ?? 95,
        aboveMs: parseDuration(String(alert.above ?? '2s')),
        windowMs,
        minSamples,
      };
    case 'certificate': {
      // "Expires within": `window` reads best, `above` is accepted too.
      const within = alert.window ?? (typeof alert.above === 'string' ? alert.above : undefined);
      return { kind: 'certificate', withinMs: parseDuration(within ?? DEFAULT_CERTIFICATE_WITHIN) };
    }
    case 'falling-behind':
      return undefined; // built per environment by fallingBehindRules, never per service
    case 'burn-rate':
      if (!slo) return undefined;
      return {
        kind: 'burn-rate',
        slo: slo.id,
        windows: burnWindows([...BURN_RATE_PAGE, ...BURN_RATE_TICKET], parseDuration(slo.window)),
        minSamples,
      };
  }
}

function ruleOf(
  config: StackConfig,
  environment: string,
  alert: Alert,
  service: string,
  condition: AlertCondition,
  notice?: NoticeSeverity,
): AlertRule {
  const severity = alert.severity ? config.incidents?.severities[alert.severity] : undefined;
  const channels = alert.channels.length
    ? alert.channels
    : (severity?.channels ?? Object.keys(config.channels));
  return {
    id: alert.id,
    service,
    condition,
    forMs: parseDuration(alert.for),
    keepFiringForMs: alert.keepFiringFor ? parseDuration(alert.keepFiringFor) : 0,
    repeatIntervalMs: parseDuration(alert.repeatInterval),
    ...(alert.severity ? { severity: alert.severity } : {}),
    notice: notice ?? (severity?.page ? 'critical' : 'warning'),
    channels,
    ...(alert.description ? { description: alert.description } : {}),
    labels: {
      alertname: alert.id,
      service,
      environment,
      condition: condition.kind,
      ...(alert.severity ? { severity: alert.severity } : {}),
    },
  };
}
