/** The Netlify provider (deploys API: builds, restore, lock, env). */
export { createNetlifyProvider, type NetlifyProviderOptions } from './netlify.js';
