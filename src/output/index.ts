/** Output: pretty / plain / json reporting and progress; every line passes the redactor from redact/. */
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
export { printable, terminalSafe } from './printable.js';
