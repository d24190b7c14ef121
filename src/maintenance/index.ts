/** Maintenance tasks: schedules with owners, built-in checks that produce evidence, and recorded completions. */
export { BUILT_IN_CHECKS, type CheckContext } from './checks/index.js';
export { healthFindings } from './checks/postgres-health.js';
export {
  type PostgresHealth,
  readPostgresHealth,
  type TableHealth,
  type TopQuery,
} from './checks/postgres-health-queries.js';
export { notifyDueTasks } from './notify-due.js';
export {
  findTask,
  type MaintenanceContext,
  maintenanceDue,
  maintenanceStatus,
  markDone,
  runTask,
} from './operations.js';
export { taskStatus } from './task-state.js';
export type { Completion, Evidence, Finding, MaintenanceTask, TaskState, TaskStatus } from './types.js';
