/** Verification: Argo-style bake-window analysis over health endpoints and smoke requests. */
export {
  type AnalysisResult,
  type CheckOutcome,
  combine,
  type Measurement,
  measurementDetail,
  runAnalysis,
} from './analysis.js';
export { createMeasure, type MeasureOptions, type VerifyTarget, verificationEndpoints } from './measure.js';
