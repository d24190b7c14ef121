/**
 * Waiting and time spans: the one abortable sleep, the injected clock of the loops that run on timers, the one backoff
 * formula, the duration formats shown to people.
 */
export { type BackoffOptions, backoffDelay } from './backoff.js';
export { type Clock, type ClockTimer, every, type Pause, pause, systemClock } from './clock.js';
export { type Cutoff, cutoff, type Deadline, deadline } from './deadline.js';
export { formatElapsed, formatMs, formatRoughly, formatSpan } from './durations.js';
export { sleep } from './sleep.js';
