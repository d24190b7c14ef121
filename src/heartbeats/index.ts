/** Heartbeats and dead-man's switches: pings from what runs unseen, and passive monitors that notice silence. */
export { heartbeatVerdict, jobVerdict, type Verdict } from './evaluate.js';
export { passiveMonitors, startWatching } from './monitors.js';
export { createPingRoutes, type PingRoutesOptions } from './routes.js';
export { type HeartbeatState, type PingKind, readHeartbeat, recordPing } from './state.js';
