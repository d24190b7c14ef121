/** Server: the public status page, the read-only JSON API and Prometheus metrics over the store, served by hono. */
export { type CreateAppOptions, createApp } from './app.js';
export type { ComponentState } from './component-state.js';
export type { ServerContext } from './context.js';
export { type HttpServer, listen } from './http.js';
export { createLagTracker, type LagTracker } from './lag.js';
export { createLiveMetrics, type LiveMetrics } from './live-metrics.js';
export { maintenanceFlagKey } from './maintenance.js';
export { LATENCY_WINDOW_MS } from './metrics.js';
export { createPagerDutyWebhook, type PagerDutyWebhookOptions } from './pagerduty-webhook.js';
export { readStatus, type StackStatus } from './status-model.js';
