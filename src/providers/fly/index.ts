/** The Fly.io provider (Machines API, release history, logs). */
export { createFlyProvider, type FlyProviderOptions } from './fly.js';
