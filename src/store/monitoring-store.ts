/** `store.monitoring` over the SqlExecutor: the schedule, history writes and history reads in one object. */
import type { Redactor } from '../redact/index.js';
import { createHistoryWriter } from './monitoring-history.js';
import { createHistoryReader } from './monitoring-queries.js';
import { createScheduleStore } from './monitoring-schedule.js';
import type { MonitoringStore } from './monitoring-types.js';
import type { SqlExecutor } from './sql-executor.js';

export interface MonitoringStoreOptions {
  /** Messages and targets pass through it before they are stored. */
  redactor: Redactor;
  now: () => Date;
}

export function createMonitoringStore(db: SqlExecutor, options: MonitoringStoreOptions): MonitoringStore {
  const { sampleStatements, ...writer } = createHistoryWriter(db, options);
  return {
    ...createScheduleStore(db, { ...options, sampleStatements }),
    ...writer,
    ...createHistoryReader(db),
  };
}
