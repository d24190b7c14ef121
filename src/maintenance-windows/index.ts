/** Maintenance windows: scheduled and by hand; the status page, alert engine and incident timeline honour them. */
export { WINDOW_SILENCE_PREFIX, windowSilences } from './silences.js';
export { recordWindowsInTimeline } from './timeline.js';
export {
  activeWindows,
  endWindow,
  type MaintenanceWindow,
  recentWindows,
  type StartWindowOptions,
  startWindow,
  WINDOW_RUN_KIND,
  type WindowContext,
} from './windows.js';
