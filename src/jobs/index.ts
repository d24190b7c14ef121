/** Scheduled jobs run by `opsbook serve`: each occurrence once across instances. */
export { type JobContext, jobsFromConfig } from './from-config.js';
export { type JobRunner, type JobRunnerOptions, type ScheduledJob, startJobRunner } from './runner.js';
