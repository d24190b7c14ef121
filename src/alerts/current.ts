/** The alerts as last evaluated, read from the store without evaluating: what the API and status views show. */
import type { StackConfig } from '../config/index.js';
import type { Store } from '../store/index.js';
import { type AlertView, alertKey, alertView } from './evaluate.js';
import { compileRules } from './rules.js';
import type { AlertState } from './types.js';

export interface ListAlertsOptions {
  store: Store;
  config: StackConfig;
  environment: string;
  /** Include inactive rules. Default false: pending and firing only. */
  all?: boolean;
}

export async function listAlerts(options: ListAlertsOptions): Promise<AlertView[]> {
  const { rules } = compileRules(options.config, options.environment);
  const states = new Map(
    (await options.store.alerting.listAlertStates(options.environment)).map((r) => [
      `${r.ruleId}/${r.service}`,
      r.state as unknown as AlertState,
    ]),
  );
  return rules
    .map((rule) => {
      const key = alertKey(rule);
      return alertView(key, rule, states.get(key) ?? { status: 'inactive', group: { seq: 0 } });
    })
    .filter((a) => options.all || a.status !== 'inactive');
}
