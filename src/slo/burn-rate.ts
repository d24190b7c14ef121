/**
 * The SRE workbook's multiwindow, multi-burn-rate alerts. Each pair is defined by the share of the
 * error budget it lets burn in its long window; the factor follows from the SLO period
 * (factor = budget share x period / long window), which gives 14.4x, 6x, 3x and 1x for 30 days.
 */
import type { BurnWindow } from './types.js';

const H = 3_600_000;
const M = 60_000;

export interface BudgetWindow {
  /** Share of the whole budget spent within the long window when the alert triggers. */
  budget: number;
  longMs: number;
  shortMs: number;
}

/** Page: 2% of the budget in 1h (checked over 5m too), or 5% in 6h (and 30m). */
export const BURN_RATE_PAGE: readonly BudgetWindow[] = [
  { budget: 0.02, longMs: H, shortMs: 5 * M },
  { budget: 0.05, longMs: 6 * H, shortMs: 30 * M },
];

/** Ticket: 10% of the budget in 1d (and 2h), or in 3d (and 6h). */
export const BURN_RATE_TICKET: readonly BudgetWindow[] = [
  { budget: 0.1, longMs: 24 * H, shortMs: 2 * H },
  { budget: 0.1, longMs: 72 * H, shortMs: 6 * H },
];

/** Factors for an SLO period; never below 1, since a slower burn never exhausts the budget. */
export function burnWindows(budgets: readonly BudgetWindow[], periodMs: number): BurnWindow[] {
  return budgets.map((b) => ({
    factor: Math.max(1, Math.round(((b.budget * periodMs) / b.longMs) * 100) / 100),
    longMs: b.longMs,
    shortMs: b.shortMs,
  }));
}

/** Observed bad ratio divided by the allowed one; null without data. */
export function burnRate(good: number, total: number, objective: number): number | null {
  if (total <= 0) return null;
  const bad = (total - good) / total;
  const budget = 1 - objective;
  if (budget <= 0) return bad > 0 ? Number.POSITIVE_INFINITY : 0;
  return bad / budget;
}
