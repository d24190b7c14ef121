/** Doctor: small named checks that say what they looked at, what they found and what to do, likeliest cause first. */
export { CHECKS, type DoctorOptions, type DoctorReport, orderFindings, runDoctor } from './run-doctor.js';
export type { DoctorDeployState, Finding, Verdict } from './types.js';
