/** The Render provider (REST API v1) and its loopback fake for tests. */
export { RENDER_API_URL } from './api.js';
export { createRenderProvider, type RenderProviderOptions } from './render.js';
