/** The state store: runs, steps, events, locks and a cache, in embedded SQLite or team-mode PostgreSQL behind one interface. */

export type * from './alerting-types.js';
export { DATABASE_URL_VAR } from './database-url.js';
export { createId as newRunId } from './ids.js';
export type * from './incidents-types.js';
export type * from './monitoring-types.js';
export { type OpenStoreOptions, openStore, SQLITE_PATH } from './open-store.js';
export type * from './types.js';
