/**
 * The alert runner: one evaluation reads the persisted states and silences, measures every rule against
 * the monitor history, runs the pure core, and commits the new states with their outbox rows in one
 * transaction. Notification dedup keys derive from the persisted sequence, so an evaluation replayed
 * after a crash produces the same keys and the outbox ignores them: nothing is lost or sent twice.
 * One instance evaluates an environment at a time (a store lock with a lease).
 */
import type { Slo, StackConfig } from '../config/index.js';
import { activeWindows, windowSilences } from '../maintenance-windows/index.js';
import type { Notification } from '../notify/index.js';
import type { NewOutboxNotification, Store } from '../store/index.js';
import { type AlertView, alertKey, evaluateAlerts, type TransitionEvent } from './evaluate.js';
import type { GroupTiming } from './grouping.js';
import type { Matcher } from './matchers.js';
import { type AlertSignals, type EnginePace, measureRule } from './measure.js';
import { createMonitorSignals } from './monitor-signals.js';
import { compileRules } from './rules.js';
import type { AlertNotification, AlertRule, AlertState, Observation } from './types.js';

export interface AlertRunnerOptions {
  store: Store;
  config: StackConfig;
  environment: string;
  /** Default: the monitor history in `store.monitoring`. */
  signals?: AlertSignals;
  /** The pace of the monitor engine running in this process, for the built-in falling-behind alert. */
  enginePace?: () => EnginePace | undefined;
  /** Epoch ms. Default Date.now. */
  now?: () => number;
  timing?: GroupTiming;
  /** This instance, for the evaluation lock. Default `alerts:<pid>`. */
  holder?: string;
  /** How long the evaluation lock outlives a crashed holder. Default 2 minutes. */
  lockTtlMs?: number;
}

export interface EvaluationSummary {
  /** False when another instance holds the evaluation lock. */
  evaluated: boolean;
  at: string;
  transitions: TransitionEvent[];
  /** Group notifications produced, and how many outbox rows (one per channel) were new. */
  notifications: AlertNotification[];
  enqueued: number;
  alerts: AlertView[];
  /** Rules whose data could not be read; they keep their state. */
  errors: { rule: string; service: string; message: string }[];
}

export interface AlertRunner {
  readonly rules: readonly AlertRule[];
  evaluate(): Promise<EvaluationSummary>;
  /** Lets another instance evaluate at once instead of after the lock's TTL. */
  close(): Promise<void>;
}

export function createAlertRunner(options: AlertRunnerOptions): AlertRunner {
  const { store, config, environment } = options;
  const { rules, graph } = compileRules(config, environment);
  const history = options.signals ?? createMonitorSignals(store.monitoring, environment);
  const signals: AlertSignals = options.enginePace
    ? {
        window: history.window.bind(history),
        recent: history.recent.bind(history),
        enginePace: options.enginePace,
      }
    : history;
  const now = options.now ?? Date.now;
  const holder = options.holder ?? `alerts:${process.pid}`;
  const slos = new Map<string, Slo>(config.slos.map((s) => [s.id, s]));
  const lockName = `alerts:${environment}`;

  return {
    rules,
    async evaluate() {
      const at = now();
      const summary: EvaluationSummary = {
        evaluated: false,
        at: new Date(at).toISOString(),
        transitions: [],
        notifications: [],
        enqueued: 0,
        alerts: [],
        errors: [],
      };
      const lock = await store.acquireLock(lockName, { holder, ttlMs: options.lockTtlMs ?? 120_000 });
      if (!lock.acquired) return summary;

      const records = await store.alerting.listAlertStates(environment);
      const states = new Map(
        records.map((r) => [`${r.ruleId}/${r.service}`, r.state as unknown as AlertState]),
      );
      const silences = (await store.alerting.listSilences({ environment, activeAt: at })).map((s) => ({
        id: s.id,
        matchers: s.matchers as Matcher[],
        startsAt: Date.parse(s.startsAt),
        endsAt: Date.parse(s.endsAt),
      }));
      // Maintenance windows silence their services' alerts; when a window ends, what is still down notifies.
      silences.push(
        ...windowSilences(await activeWindows({ config, store, now: () => new Date(at) }, environment)),
      );
      const observations = new Map<string, Observation>();
      await Promise.all(
        rules.map(async (rule) => {
          try {
            observations.set(alertKey(rule), await measureRule(rule, signals, at, slos));
          } catch (error) {
            const message = (error as Error).message;
            summary.errors.push({ rule: rule.id, service: rule.service, message });
          }
        }),
      );

      const result = evaluateAlerts({
        environment,
        rules,
        states,
        observations,
        silences,
        graph,
        now: at,
        ...(options.timing ? { timing: options.timing } : {}),
      });
      const changed = rules.filter((r) => {
        const key = alertKey(r);
        return JSON.stringify(states.get(key)) !== JSON.stringify(result.states.get(key));
      });
      const configured = new Set(rules.map(alertKey));
      const { enqueued } = await store.alerting.commitEvaluation({
        environment,
        states: changed.map((r) => {
          const state = result.states.get(alertKey(r))!;
          return {
            environment,
            ruleId: r.id,
            service: r.service,
            status: state.status,
            state: JSON.parse(JSON.stringify(state)),
          };
        }),
        deleted: records.filter((r) => !configured.has(`${r.ruleId}/${r.service}`)),
        notifications: result.notifications.flatMap(outboxRows),
      });
      const { transitions, notifications, alerts } = result;
      return { ...summary, evaluated: true, transitions, notifications, alerts, enqueued };
    },
    async close() {
      await store.releaseLock(lockName, holder);
    },
  };
}

/** One outbox row per channel; the channel is part of the key so each channel hears each transition once. */
export function outboxRows(n: AlertNotification): NewOutboxNotification[] {
  const payload = toChannelNotification(n);
  return n.channels.map((channel) => ({
    dedupKey: `${n.dedupKey}/${channel}`,
    environment: n.environment,
    channel,
    payload: JSON.parse(JSON.stringify(payload)),
  }));
}

export function toChannelNotification(n: AlertNotification): Notification {
  return {
    event: `alert.${n.status}`,
    title: n.title,
    text: n.text,
    severity: n.notice,
    at: n.at,
    fields: {
      Service: n.service,
      Environment: n.environment,
      ...(n.commonLabels.severity ? { Severity: n.commonLabels.severity } : {}),
      ...(n.repeat ? { Repeat: 'still firing' } : {}),
    },
    alert: {
      groupKey: n.groupKey,
      status: n.status,
      groupLabels: n.groupLabels,
      commonLabels: n.commonLabels,
      commonAnnotations: n.commonAnnotations,
      alerts: n.alerts,
    },
  };
}
