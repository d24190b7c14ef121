/** SLOs: indicators from the monitor history, error budget remaining and multiwindow burn rates. */
export {
  BURN_RATE_PAGE,
  BURN_RATE_TICKET,
  type BudgetWindow,
  burnRate,
  burnWindows,
} from './burn-rate.js';
export { createMonitorHistory, rankOf } from './monitor-history.js';
export {
  computeSloReport,
  computeSloStatus,
  REPORTED_WINDOWS,
  readSloReport,
  type SloReport,
  type SloReportOptions,
  type SloStatus,
} from './report.js';
export { objectiveOf, type SliCounts, sliCounts } from './sli.js';
export type { BurnWindow, HistoryReader, LatencyDistribution, WindowStats } from './types.js';
