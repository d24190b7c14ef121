/** `engine: other`: a runner opsbook does not know. Its files are counted, but what is applied cannot be read. */

import { join, relative } from 'node:path';
import { listDir } from './files.js';
import type { Engine } from './types.js';

export const other: Engine = {
  name: 'other',
  layout: 'migration files',
  defaultDir: 'migrations',
  root: (_dirAbs, cwd) => cwd,
  sqlSource: { kind: 'files' },
  async list(cwd, dir) {
    const files = (await listDir(cwd, dir, this.layout)).filter((f) => !f.startsWith('.'));
    return {
      migrations: files.map((f) => ({
        id: f,
        version: /^\d+/.exec(f)?.[0] ?? f,
        name: f,
        path: join(cwd, dir, f),
        display: relative(cwd, join(cwd, dir, f)),
      })),
      diagnostics: [],
    };
  },
  readHistory: async () => undefined,
};
