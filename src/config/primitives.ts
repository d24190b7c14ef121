/** Small schema building blocks shared by the config sections: durations, percentages, names, secret references. */
import { z } from 'zod';
import { DURATION, parseDuration } from './units.js';

export { NAMED_SCHEDULES, parseDuration, parsePercent } from './units.js';

/** A duration such as `30s`, `5m`, `24h`, `30d`. */
export const duration = z
  .string()
  .regex(DURATION, { message: 'expected a duration such as 500ms, 30s, 5m, 1h, 7d' })
  .meta({ description: 'A duration: a number and a unit (ms, s, m, h, d, w), e.g. 30s, 5m, 24h.' });

/**
 * A duration with an upper bound for its field. Every bound of a field that arms a timer stays below 24.8 days:
 * Node's timers hold 2^31-1 ms, and a longer one fires at once (a 25-day gate timeout ended every gate).
 */
export function durationAtMost(max: string, what: string) {
  const maxMs = parseDuration(max);
  return duration.superRefine((text, ctx) => {
    if (DURATION.test(text) && parseDuration(text) > maxMs)
      ctx.addIssue({
        code: 'custom',
        message: `${text} is too long for ${what}: at most ${max}`,
        params: { code: 'config/duration-too-long', hint: `use a duration of at most ${max}` },
      });
  });
}

/** A percentage: `99.5%` or a number 0-100. */
export const percent = z
  .union([
    z.number().min(0).max(100),
    z.string().regex(/^\d+(\.\d+)?%$/, { message: 'expected a percentage such as 5% or 99.5%' }),
  ])
  .meta({ description: 'A percentage, e.g. 99.5% or 99.5.' });

/** Service, gate, channel and other ids: what users type on the command line. */
export const id = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, {
  message: 'expected a name of letters, digits, - and _, starting with a letter',
});

/**
 * A shell command. An empty one could not start (a gate crashed), and one of spaces "runs" and exits 0: a gate or a
 * task that passes having done nothing.
 */
export const shellCommand = z.string().regex(/\S/, { message: 'expected a command, not an empty string' });

export const envVarName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
  message: 'expected an environment variable name such as DATABASE_URL',
});

/**
 * Where a secret comes from. Secret values are never written in the config: only the name of the variable
 * (in the process environment, or the platform) that holds it.
 */
export const secretRef = z
  .strictObject({
    env: envVarName.meta({ description: 'Name of the environment variable that holds the secret.' }),
  })
  .meta({
    description: 'A reference to a secret held in an environment variable, e.g. { env: SLACK_WEBHOOK_URL }.',
  });

export type SecretRef = z.infer<typeof secretRef>;

/** A plain URL, or a reference when the URL itself is a secret (Slack incoming webhooks are). */
export const urlOrSecret = z.union([
  z.url({ message: 'expected an absolute URL such as https://example.com/hook' }),
  secretRef,
]);

/** A 5- or 6-field cron expression, or a named cadence. Checked with croner in the cross-field rules. */
export const schedule = z.string().min(1).meta({
  description:
    'When it runs: daily, weekly, monthly, quarterly, hourly, or a cron expression such as "*/15 * * * *".',
});

export const environmentName = id.meta({ description: 'An environment declared under `environments`.' });
