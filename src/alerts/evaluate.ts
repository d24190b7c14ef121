/**
 * The pure evaluation core: states and observations in, new states, transitions and group notifications
 * out. No clock, no I/O: the runner feeds it and persists what it returns, and tests drive it with a
 * fake clock.
 */
import { DEFAULT_GROUP_TIMING, decideGroup, type GroupTiming } from './grouping.js';
import { type DependencyGraph, inhibitedServices, isDownCondition } from './inhibition.js';
import { type Matcher, matchesAll } from './matchers.js';
import { buildNotification } from './notification.js';
import { initialState, stepAlert } from './state-machine.js';
import type {
  AlertNotification,
  AlertRule,
  AlertState,
  Labels,
  MutedBy,
  Observation,
  Transition,
} from './types.js';

export interface ActiveSilence {
  id: string;
  matchers: Matcher[];
  startsAt: number;
  endsAt: number;
}

export interface EvaluateInput {
  environment: string;
  rules: readonly AlertRule[];
  /** By `alertKey(rule)`; a missing state is inactive. */
  states: ReadonlyMap<string, AlertState>;
  /** By `alertKey(rule)`; a rule without an observation keeps its state (its data could not be read). */
  observations: ReadonlyMap<string, Observation>;
  silences: readonly ActiveSilence[];
  graph: DependencyGraph;
  now: number;
  timing?: GroupTiming;
}

export interface AlertView {
  key: string;
  ruleId: string;
  service: string;
  status: AlertState['status'];
  labels: Labels;
  summary?: string;
  value?: number;
  activeAt?: string;
  firedAt?: string;
  /** Why its notifications are held back. */
  mutedBy?: MutedBy;
}

export interface TransitionEvent {
  key: string;
  ruleId: string;
  service: string;
  transition: Transition;
  at: string;
  summary?: string;
}

export interface EvaluateResult {
  states: Map<string, AlertState>;
  transitions: TransitionEvent[];
  notifications: AlertNotification[];
  alerts: AlertView[];
}

export const alertKey = (rule: Pick<AlertRule, 'id' | 'service'>): string => `${rule.id}/${rule.service}`;

export function evaluateAlerts(input: EvaluateInput): EvaluateResult {
  const { now, environment } = input;
  const at = new Date(now).toISOString();
  const states = new Map<string, AlertState>();
  const transitions: TransitionEvent[] = [];

  for (const rule of input.rules) {
    const key = alertKey(rule);
    const prev = input.states.get(key) ?? initialState();
    const obs = input.observations.get(key);
    if (!obs) {
      states.set(key, prev);
      continue;
    }
    const { state, transition } = stepAlert(prev, obs, rule, now);
    states.set(key, state);
    if (transition)
      transitions.push({ key, ruleId: rule.id, service: rule.service, transition, at, summary: obs.summary });
  }

  const down = input.rules
    .filter((r) => isDownCondition(r.condition) && states.get(alertKey(r))?.status === 'firing')
    .map((r) => r.service);
  const inhibited = inhibitedServices(down, input.graph);
  const silences = input.silences.filter((s) => s.startsAt <= now && now < s.endsAt);

  const notifications: AlertNotification[] = [];
  const alerts: AlertView[] = [];
  for (const rule of input.rules) {
    const key = alertKey(rule);
    const state = states.get(key)!;
    const silence = silences.find((s) => matchesAll(s.matchers, rule.labels));
    const inhibitor = inhibited.get(rule.service);
    const mutedBy = silence ? { silence: silence.id } : inhibitor ? { inhibitedBy: inhibitor } : undefined;
    const decision = decideGroup(rule, state, Boolean(mutedBy), now, input.timing ?? DEFAULT_GROUP_TIMING);
    const { mutedBy: _previous, ...rest } = state;
    const next: AlertState = {
      ...rest,
      ...(mutedBy && state.status !== 'inactive' ? { mutedBy } : {}),
      group: decision.group,
    };
    states.set(key, next);
    if (decision.send)
      notifications.push(
        buildNotification({ rule, state: next, environment, ...decision.send, seq: decision.group.seq, now }),
      );
    alerts.push(alertView(key, rule, next));
  }
  return { states, transitions, notifications, alerts };
}

export function alertView(key: string, rule: AlertRule, s: AlertState): AlertView {
  const iso = (ms?: number) => (ms === undefined ? undefined : new Date(ms).toISOString());
  return {
    key,
    ruleId: rule.id,
    service: rule.service,
    status: s.status,
    labels: rule.labels,
    ...(s.summary !== undefined ? { summary: s.summary } : {}),
    ...(s.value !== undefined ? { value: s.value } : {}),
    ...(s.status !== 'inactive' && s.activeAt !== undefined ? { activeAt: iso(s.activeAt) } : {}),
    ...(s.status === 'firing' && s.firedAt !== undefined ? { firedAt: iso(s.firedAt) } : {}),
    ...(s.mutedBy ? { mutedBy: s.mutedBy } : {}),
  };
}
