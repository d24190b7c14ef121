/**
 * Alert rules that can never fire with the monitors this environment has: a `down` alert on a service nothing
 * checks, a rate or latency window that cannot hold `minSamples` checks at their intervals, a certificate alert on
 * a service checked over plain HTTP. Each looked fine in the config and stayed quiet for good, through any outage.
 */
import { formatSpan } from '../timing/index.js';
import type { AlertRule } from './types.js';

/** What a rule needs to know about a monitor. */
export interface MonitorShape {
  service: string;
  kind: string;
  /** e.g. `GET https://api.example.com/health` for HTTP checks. */
  target: string;
  intervalMs: number;
  /** A check answered within this, or did not answer: no measured latency is longer. */
  timeoutMs: number;
}

export interface UnfireableRule {
  rule: string;
  service: string;
  message: string;
}

/** Most checks one monitor can put in a window: a window of `ms` holds at most ceil(ms / interval) slots, plus one for jitter. */
const mostIn = (windowMs: number, monitors: readonly MonitorShape[]) =>
  monitors.reduce((n, m) => n + Math.ceil(windowMs / m.intervalMs) + 1, 0);

const fix = (service: string, minSamples: number, monitors: readonly MonitorShape[]) => {
  const fastest = Math.min(...monitors.map((m) => m.intervalMs));
  return `lengthen the window (at least ${formatSpan(Math.ceil(minSamples / monitors.length) * fastest)}), lower minSamples, or check ${service} more often than every ${formatSpan(fastest)} (monitoring.interval, or a health endpoint's interval)`;
};

/**
 * `everyService`: ids of alerts written without a service, which apply to every service: one of them on a service
 * nothing checks is not a mistake, so only its windows are looked at.
 */
export function unfireableRules(
  rules: readonly AlertRule[],
  monitors: readonly MonitorShape[],
  everyService: ReadonlySet<string> = new Set(),
  /** How long raw samples are kept (monitoring.retention.raw): a run of failures is read from them. */
  rawKeptMs = Number.POSITIVE_INFINITY,
): UnfireableRule[] {
  const out: UnfireableRule[] = [];
  for (const rule of rules) {
    const c = rule.condition;
    if (c.kind === 'falling-behind') continue;
    const mine = monitors.filter((m) => m.service === rule.service);
    const say = (message: string) => out.push({ rule: rule.id, service: rule.service, message });
    if (!mine.length) {
      if (everyService.has(rule.id)) continue;
      say(
        `nothing checks ${rule.service} here (no health endpoint with a URL, connection check or heartbeat), so it cannot see a failure`,
      );
      continue;
    }
    switch (c.kind) {
      case 'error-rate':
      case 'latency': {
        if (c.kind === 'error-rate' && c.above >= 1) {
          say('its threshold is 100%, and no error rate is above that: give a lower one, e.g. above: 5%');
          break;
        }
        const longest = Math.max(...mine.map((m) => m.timeoutMs));
        if (c.kind === 'latency' && c.aboveMs >= longest) {
          say(
            `its threshold (${formatSpan(c.aboveMs)}) is not below the checks' timeout (${formatSpan(longest)}): a check that slow fails instead, so no answered check is ever over it; lower 'above', or alert on failures`,
          );
          break;
        }
        const most = mostIn(c.windowMs, mine);
        if (most < c.minSamples)
          say(
            `it waits for ${c.minSamples} checks in ${formatSpan(c.windowMs)}, and ${rule.service}'s monitors make at most ${most} there: ${fix(rule.service, c.minSamples, mine)}`,
          );
        break;
      }
      case 'consecutive-failures': {
        // Each monitor's run is read from its raw samples: a run longer than they hold is never seen whole.
        const longest = Math.max(...mine.map((m) => Math.ceil(rawKeptMs / m.intervalMs) + 1));
        if (longest < c.count)
          say(
            `it waits for ${c.count} failed checks in a row, and the raw samples kept (${formatSpan(rawKeptMs)}, monitoring.retention.raw) hold at most ${longest} of any monitor of ${rule.service}: lower count, or keep raw samples longer`,
          );
        break;
      }
      case 'burn-rate': {
        const possible = c.windows.some((w) => mostIn(w.shortMs, mine) >= c.minSamples);
        if (!possible) {
          const shortest = Math.min(...c.windows.map((w) => w.shortMs));
          say(
            `its shortest window (${formatSpan(shortest)}) cannot hold the ${c.minSamples} checks it waits for: ${rule.service}'s monitors make at most ${mostIn(shortest, mine)} there; check ${rule.service} more often (monitoring.interval, or a health endpoint's interval)`,
          );
        }
        break;
      }
      case 'certificate':
        if (!mine.some((m) => m.kind === 'http' && /\bhttps:\/\//i.test(m.target)))
          say(
            `no monitor of ${rule.service} calls an https:// URL, so no certificate is ever seen: give it a health endpoint on its https URL`,
          );
        break;
    }
  }
  return out;
}
