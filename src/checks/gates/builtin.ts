/** The built-in gates by name. The secrets, env and migrations gates call into their own capabilities. */

import { runGitGate } from './git-gate.js';
import { runLockfileGate } from './lockfile-gate.js';
import type { BuiltinGate } from './types.js';

export const builtinGates: Record<'secrets' | 'env' | 'git' | 'lockfile' | 'migrations', BuiltinGate> = {
  git: runGitGate,
  lockfile: runLockfileGate,
  secrets: async (gate, ctx) => (await import('./secrets-gate.js')).runSecretsGate(gate, ctx),
  env: async (gate, ctx) => (await import('./env-gate.js')).runEnvGate(gate, ctx),
  migrations: async (gate, ctx) => (await import('./migrations-gate.js')).runMigrationsGate(gate, ctx),
};
