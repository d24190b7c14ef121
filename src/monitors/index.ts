/** Monitors: the monitor list from the config, the engine that schedules, runs and records checks, and the latency sketch. */
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
export { LatencySketch, RELATIVE_ACCURACY, type SketchJson } from './sketch.js';
