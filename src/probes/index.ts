/** Probes: HTTP(S), TCP, PostgreSQL and Redis checks that return a ProbeResult and never throw on a bad target. */
export type { HealthAuth } from './auth.js';
export { type BodyCondition, printable } from './conditions.js';
export { type ConnectionTarget, describeConnection } from './connection.js';
export { type HttpExpectation, type HttpTarget, probeHttp } from './http.js';
export { probePostgres } from './postgres.js';
export { probeRedis } from './redis.js';
export { readRedisInfo } from './redis-info.js';
export { endpointUrl, type HttpTargetOptions, httpTargetFor } from './target.js';
export { probeTcp, type TcpTarget } from './tcp.js';
export type { ProbeContext, ProbeOutcome, ProbeResult } from './types.js';
export { makeResult } from './types.js';
