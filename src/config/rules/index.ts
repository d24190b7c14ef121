/**
 * Cross-field config rules, one per diagnostic code. To add one: write `rules/<code>.ts` exporting
 * `defineRule({ code: 'config/<code>', check })` and list it in CONFIG_RULES below (a test checks both).
 */
import { isObj } from '../raw.js';
import { alertOption } from './alert-option.js';
import { alertWithoutChannel } from './alert-without-channel.js';
import { ambiguousTarget } from './ambiguous-target.js';
import { backupDestination } from './backup-destination.js';
import { backupJobs } from './backup-jobs.js';
import { backupRetention } from './backup-retention.js';
import { checkOutlastsInterval } from './check-outlasts-interval.js';
import { cronWithoutSchedule } from './cron-without-schedule.js';
import { dependencyCycle } from './dependency-cycle.js';
import { doubleDeploy } from './double-deploy.js';
import { duplicateId } from './duplicate-id.js';
import { duplicateInOrder } from './duplicate-in-order.js';
import { emptyTask } from './empty-task.js';
import { engineOption } from './engine-option.js';
import { gateOption } from './gate-option.js';
import { healthWithoutUrl } from './health-without-url.js';
import { httpDefault } from './http-default.js';
import { invalidPattern } from './invalid-pattern.js';
import { invalidSchedule } from './invalid-schedule.js';
import { invalidTimeZone } from './invalid-time-zone.js';
import { invalidValue } from './invalid-value.js';
import { managedBackup } from './managed-backup.js';
import { missingField } from './missing-field.js';
import { noProduction } from './no-production.js';
import { notADatabase } from './not-a-database.js';
import { notSupportedYet } from './not-supported-yet.js';
import { repeatWithoutEscalation } from './repeat-without-escalation.js';
import { type ConfigRule, type RuleDiagnostic, runRule } from './rule.js';
import { scheduleGap } from './schedule-gap.js';
import { secretDefault } from './secret-default.js';
import { secretLiteral } from './secret-literal.js';
import { selfDependency } from './self-dependency.js';
import { sharedPingToken } from './shared-ping-token.js';
import { smtpTlsPort } from './smtp-tls-port.js';
import { taskOption } from './task-option.js';
import { unheardTarget } from './unheard-target.js';
import { unknownChannel } from './unknown-channel.js';
import { unknownContact } from './unknown-contact.js';
import { unknownEnvironment } from './unknown-environment.js';
import { unknownLintRule } from './unknown-lint-rule.js';
import { unknownReference } from './unknown-reference.js';
import { unknownService } from './unknown-service.js';
import { unknownSeverity } from './unknown-severity.js';
import { unknownSlo } from './unknown-slo.js';
import { unknownTemplateVariable } from './unknown-template-variable.js';
import { unreachableContact } from './unreachable-contact.js';
import { untrackedResponseTarget } from './untracked-response-target.js';
import { verifyCannotFail } from './verify-cannot-fail.js';
import { verifyNothingToMeasure } from './verify-nothing-to-measure.js';
import { windowOutlivesHistory } from './window-outlives-history.js';
import { windowTiming } from './window-timing.js';

export { type ConfigRule, defineRule, type RuleContext, type RuleDiagnostic } from './rule.js';

/** Every rule, alphabetically by code. */
export const CONFIG_RULES: readonly ConfigRule[] = [
  alertOption,
  alertWithoutChannel,
  ambiguousTarget,
  backupDestination,
  backupJobs,
  backupRetention,
  checkOutlastsInterval,
  cronWithoutSchedule,
  dependencyCycle,
  doubleDeploy,
  duplicateId,
  duplicateInOrder,
  emptyTask,
  engineOption,
  gateOption,
  healthWithoutUrl,
  httpDefault,
  invalidPattern,
  invalidSchedule,
  invalidTimeZone,
  invalidValue,
  managedBackup,
  missingField,
  noProduction,
  notADatabase,
  notSupportedYet,
  scheduleGap,
  repeatWithoutEscalation,
  secretDefault,
  secretLiteral,
  selfDependency,
  sharedPingToken,
  smtpTlsPort,
  taskOption,
  unheardTarget,
  unknownChannel,
  unknownContact,
  unknownEnvironment,
  unknownLintRule,
  unknownReference,
  unknownService,
  unknownSeverity,
  unknownSlo,
  unknownTemplateVariable,
  unreachableContact,
  untrackedResponseTarget,
  verifyCannotFail,
  verifyNothingToMeasure,
  windowOutlivesHistory,
  windowTiming,
];

/** Runs every rule over the unvalidated config: each problem once, whatever else is wrong with it. */
export function checkConfigRules(
  config: unknown,
  rules: readonly ConfigRule[] = CONFIG_RULES,
): RuleDiagnostic[] {
  const out: RuleDiagnostic[] = [];
  if (isObj(config)) for (const rule of rules) runRule(rule, config, out);
  return out;
}
