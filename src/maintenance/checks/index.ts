/** The built-in maintenance checks by name. */
import type { MAINTENANCE_CHECKS } from '../../config/schema-operations.js';
import type { Evidence } from '../types.js';
import { backupDrillCheck } from './backup-drill.js';
import { certificatesCheck } from './certificates.js';
import type { CheckContext } from './context.js';
import { dependenciesCheck } from './dependencies.js';
import { postgresHealthCheck } from './postgres-health.js';
import { secretAgeCheck } from './secret-age.js';
import { sloReportCheck } from './slo-report.js';

export type { CheckContext } from './context.js';

export const BUILT_IN_CHECKS: Record<
  (typeof MAINTENANCE_CHECKS)[number],
  (ctx: CheckContext) => Promise<Evidence>
> = {
  dependencies: dependenciesCheck,
  'postgres-health': postgresHealthCheck,
  'backup-drill': backupDrillCheck,
  certificates: certificatesCheck,
  'secret-age': secretAgeCheck,
  'slo-report': sloReportCheck,
};
