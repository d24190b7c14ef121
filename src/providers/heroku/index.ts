/** The Heroku provider (Platform API: builds, releases, config vars). */
export { createHerokuProvider, type HerokuProviderOptions } from './heroku.js';
