/** Health: per-service healthy / degraded / unhealthy / unknown from probes and dependencies, and the stack roll-up. */
export {
  type CheckHealthOptions,
  checkHealth,
  type HealthReport,
  type ProbeReport,
  type ServiceHealth,
} from './check-health.js';
export { type ConnectionSource, findConnectionUrl } from './connection-url.js';
export {
  type DerivedHealth,
  deriveHealth,
  type HealthModel,
  type HealthNode,
  type HealthState,
  type OwnHealth,
  ownHealth,
  worstState,
} from './derive.js';
export { DEFAULT_HEALTH_TYPES } from './plan.js';
export {
  type ConnectionProbe,
  connectionProbe,
  type EndpointProbe,
  endpointProbes,
  type HealthType,
  probedEndpoints,
} from './probe-targets.js';
