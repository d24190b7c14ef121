/** The command provider: deploy, status and rollback through the team's own shell commands. */
export { createCommandProvider } from './command-provider.js';
export { parseStateWord } from './state-words.js';
