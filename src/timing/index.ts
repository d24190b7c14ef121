/** Waiting and time spans: the one abortable sleep, the one backoff formula, the duration formats shown to people. */
export { type BackoffOptions, backoffDelay } from './backoff.js';
export { formatElapsed, formatMs, formatRoughly, formatSpan } from './durations.js';
export { sleep } from './sleep.js';
