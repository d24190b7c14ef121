/** Alerts: rules compiled from the config, the pure evaluation core, the runner that persists state and fills the outbox, silences. */
export { type ListAlertsOptions, listAlerts } from './current.js';
export {
  type ActiveSilence,
  type AlertView,
  alertKey,
  type EvaluateInput,
  type EvaluateResult,
  evaluateAlerts,
  type TransitionEvent,
} from './evaluate.js';
export { DEFAULT_GROUP_TIMING, type GroupTiming } from './grouping.js';
export { type DependencyGraph, inhibitedServices } from './inhibition.js';
export { type AlertLoop, type AlertLoopOptions, startAlertLoop } from './loop.js';
export { formatMatcher, type Matcher, matchesAll, parseMatcher } from './matchers.js';
export { type AlertSignals, type EnginePace, measureRule, type RecentSample } from './measure.js';
export { createMonitorSignals } from './monitor-signals.js';
export {
  type CompiledRules,
  compileRules,
  DEFAULT_MIN_SAMPLES,
  ENGINE_SERVICE,
  FALLING_BEHIND_RULE,
} from './rules.js';
export {
  type AlertRunner,
  type AlertRunnerOptions,
  createAlertRunner,
  type EvaluationSummary,
  outboxRows,
  toChannelNotification,
} from './runner.js';
export { type AddSilenceOptions, addSilence, expireSilence, listSilences } from './silences.js';
export type {
  AlertCondition,
  AlertNotification,
  AlertRule,
  AlertState,
  AlertStatus,
  Labels,
  Observation,
  Transition,
} from './types.js';
export { type MonitorShape, type UnfireableRule, unfireableRules } from './unfireable.js';
