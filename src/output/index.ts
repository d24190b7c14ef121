/** Output: pretty / plain / json reporting, progress and the secret redactor every output path goes through. */
export {
  type Column,
  createOutput,
  detectMode,
  type Output,
  type OutputMode,
  type OutputOptions,
  type Progress,
  type Writable,
} from './output.js';
export { createRedactor, maskSecret, type Redactor } from './redact.js';
