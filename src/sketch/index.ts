/** The latency sketch: mergeable quantiles the monitors record and the store rolls up (its own module: both use it). */
export { LatencySketch, RELATIVE_ACCURACY, type SketchJson } from './latency-sketch.js';
