/** Monitors: the monitor list from the config, and the engine that schedules, runs and records checks. */
export type {
  BucketRecord,
  CheckCounts,
  LatencyQuantiles,
  MonitorDefinition,
  MonitoringStore,
  MonitorRecord,
  MonitorSelector,
  Resolution,
  RetentionMs,
  SampleOutcome,
  SampleRecord,
  UptimeResult,
} from '../store/index.js';
export { type DeriveMonitorsOptions, deriveMonitors, type Monitor, type MonitorNote } from './derive.js';
export {
  type CheckTiming,
  createMonitorEngine,
  type EngineTiming,
  type MonitorEngine,
  type MonitorEngineOptions,
  type MonitorEngineStats,
  nextDueAt,
  retentionOf,
} from './engine.js';
