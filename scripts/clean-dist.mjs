// Empties dist/ before a build: tsc never deletes the output of a source file that moved or was removed.
import { rmSync } from 'node:fs';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
