/** Shared pieces of the cross-field rules: the report shape and reference/schedule checks with "did you mean". */
import { Cron } from 'croner';
import type { Diagnostic } from '../diagnostics/index.js';
import type { ConfigPath } from './locate.js';
import { NAMED_SCHEDULES } from './primitives.js';
import { closestMatch } from './suggest.js';

export type RuleDiagnostic = Omit<Diagnostic, 'location'> & { path: ConfigPath; key?: boolean };
export type Report = (d: RuleDiagnostic) => void;

export function checkRef(
  report: Report,
  kind: string,
  known: string[],
  name: unknown,
  path: ConfigPath,
  code: string,
  key = false,
) {
  if (typeof name !== 'string' || known.includes(name)) return;
  const guess = closestMatch(name, known);
  report({
    severity: 'error',
    code,
    message: `unknown ${kind} '${name}'`,
    hint: guess
      ? `did you mean '${guess}'?`
      : known.length
        ? `declared ${kind}s: ${known.join(', ')}`
        : `declare it first`,
    path,
    key,
  });
}

export function checkSchedule(report: Report, value: unknown, path: ConfigPath) {
  if (typeof value !== 'string' || (NAMED_SCHEDULES as readonly string[]).includes(value)) return;
  try {
    new Cron(value, { paused: true });
  } catch (error) {
    report({
      severity: 'error',
      code: 'config/invalid-schedule',
      message: `'${value}' is not a schedule: ${(error as Error).message.replace(/^CronPattern: /, '')}`,
      hint: `use ${NAMED_SCHEDULES.join(', ')} or a cron expression such as "*/15 * * * *"`,
      path,
    });
  }
}
