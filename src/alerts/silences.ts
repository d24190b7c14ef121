/** Silences: matchers with an end time that keep matching alerts from notifying (what `opsbook silence` and the API call). */
import { closestMatch, parseDuration } from '../config/index.js';
import { UserError } from '../errors.js';
import type { SilenceRecord, Store } from '../store/index.js';
import { type Matcher, matchesAll, parseMatcher } from './matchers.js';
import type { Labels } from './types.js';

export interface AddSilenceOptions {
  store: Store;
  /** `label=value` strings (as typed on the command line) or parsed matchers; at least one. */
  matchers: readonly (string | Matcher)[];
  /** How long from now (or from `startsAt`), e.g. `2h`; or give `endsAt`. */
  duration?: string;
  endsAt?: string;
  startsAt?: string;
  comment: string;
  createdBy: string;
  /** Only alerts of this environment; default every environment. */
  environment?: string;
  /**
   * The labels of every alert the config can raise, when a config is there: a silence that matches none of them
   * (a misspelt service or alert name) is refused, since it would mute nothing while it is listed as active.
   */
  alerts?: readonly Labels[];
  now?: () => number;
}

/** The labels every alert carries (see `labels` in rules.ts). */
const ALERT_LABELS: readonly string[] = ['alertname', 'service', 'environment', 'condition', 'severity'];

export async function addSilence(options: AddSilenceOptions): Promise<SilenceRecord> {
  const matchers = options.matchers.map((m) => (typeof m === 'string' ? parseMatcher(m) : m));
  if (!matchers.length)
    throw new UserError(
      'a silence needs at least one matcher: without one it would mute every alert',
      'add one, e.g. service=api or alertname=api-down',
      'alerts/silence-without-matchers',
    );
  for (const m of matchers)
    if (!ALERT_LABELS.includes(m.label)) {
      // A mistyped label never matches, so the silence would mute nothing while looking active.
      const guess = closestMatch(m.label, ALERT_LABELS);
      throw new UserError(
        `'${m.label}' is not an alert label`,
        `${guess ? `did you mean '${guess}'? ` : ''}labels: ${ALERT_LABELS.join(', ')}`,
        'alerts/unknown-label',
      );
    }
  if (matchers.every((m) => matchesEmpty(m)))
    throw new UserError(
      'every matcher of this silence also matches alerts without the label, so it would mute everything',
      'add a matcher that needs a value, e.g. service=api',
      'alerts/silence-matches-everything',
    );
  if (options.alerts && !options.alerts.some((labels) => matchesAll(matchers, labels)))
    throw new UserError(
      'this silence matches none of the alerts the config can raise, so it would mute nothing',
      nearestValues(matchers, options.alerts),
      'alerts/silence-matches-nothing',
    );
  if (!options.comment.trim())
    throw new UserError('a silence needs a comment saying why', 'add --comment "deploying the fix for #123"');
  const now = (options.now ?? Date.now)();
  const startsAt = options.startsAt ? parseTime(options.startsAt, 'start') : now;
  const endsAt = options.endsAt
    ? parseTime(options.endsAt, 'end')
    : startsAt + durationOf(options.duration ?? '');
  if (endsAt <= Math.max(startsAt, now))
    throw new UserError(
      'the silence would end before it starts',
      'give an end in the future, or --duration 2h',
    );
  // A silence nobody remembers is an alert nobody gets; past a year it is a mistake (or not a date at all).
  if (!(endsAt - startsAt <= MAX_SILENCE_MS))
    throw new UserError(
      `a silence may last at most ${MAX_SILENCE}, not ${options.duration ?? `until ${options.endsAt}`}`,
      `give a shorter --duration, e.g. 2h, or an --until within ${MAX_SILENCE}`,
      'alerts/silence-too-long',
    );
  return options.store.alerting.addSilence({
    environment: options.environment ?? null,
    matchers,
    startsAt: new Date(startsAt).toISOString(),
    endsAt: new Date(endsAt).toISOString(),
    comment: options.comment.trim(),
    createdBy: options.createdBy,
  });
}

export async function listSilences(options: {
  store: Store;
  environment?: string;
  includeExpired?: boolean;
}): Promise<SilenceRecord[]> {
  return options.store.alerting.listSilences({
    ...(options.environment ? { environment: options.environment } : {}),
    includeExpired: options.includeExpired ?? false,
  });
}

export async function expireSilence(options: { store: Store; id: string }): Promise<SilenceRecord> {
  const silence = await options.store.alerting.expireSilence(options.id);
  if (!silence)
    throw new UserError(
      `no silence with id ${options.id}`,
      "list them with 'opsbook silence list --all'",
      'alerts/unknown-silence',
    );
  return silence;
}

function matchesEmpty(m: Matcher): boolean {
  switch (m.op) {
    case '=':
      return m.value === '';
    case '!=':
      return m.value !== '';
    case '=~':
      return new RegExp(`^(?:${m.value})$`).test('');
    case '!~':
      return !new RegExp(`^(?:${m.value})$`).test('');
  }
}

const MAX_SILENCE = '366d';
const MAX_SILENCE_MS = parseDuration(MAX_SILENCE);

function durationOf(text: string): number {
  try {
    return parseDuration(text);
  } catch {
    throw new UserError(
      text ? `'${text}' is not a duration` : 'a silence needs a duration or an end time',
      'give --duration 2h (units ms, s, m, h, d, w) or --until 2030-01-01T18:00:00Z',
      'alerts/bad-duration',
    );
  }
}

function parseTime(text: string, what: string): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms))
    throw new UserError(
      `the ${what} time '${text}' is not a date`,
      'write it as ISO 8601, e.g. 2030-01-01T18:00:00Z',
    );
  return ms;
}

/** For each matcher that matches no alert on its own, the values its label has: the likely typo and the choices. */
function nearestValues(matchers: readonly Matcher[], alerts: readonly Labels[]): string {
  const parts: string[] = [];
  for (const m of matchers) {
    if (alerts.some((labels) => matchesAll([m], labels))) continue;
    const values = [
      ...new Set(alerts.map((labels) => labels[m.label]).filter((v) => v !== undefined)),
    ].sort();
    const guess = m.op === '=' ? closestMatch(m.value, values) : undefined;
    parts.push(
      `${guess ? `did you mean ${m.label}=${guess}? ` : ''}${m.label}: ${values.length ? values.join(', ') : 'no alert has it'}`,
    );
  }
  // Each matcher matches some alert, only never the same one.
  return parts.length
    ? parts.join('; ')
    : "no alert carries all of these labels together: see the alerts with 'opsbook status' or opsbook.yaml alerts:";
}
