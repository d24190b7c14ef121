/** Lockfiles: they name the package manager for script gates and enable the built-in lockfile gate. */
import { inDir, isFile } from './files.js';
import type { DirContext, Finding } from './types.js';

const LOCKFILES: [file: string, manager: string | undefined][] = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['bun.lock', 'bun'],
  ['bun.lockb', 'bun'],
  ['package-lock.json', 'npm'],
  ['poetry.lock', undefined],
  ['uv.lock', undefined],
  ['Pipfile.lock', undefined],
];

/** The Node package manager of a directory (its own lockfile, else the repository root's); npm when none. */
export function packageManager(repo: string, dir: string): string {
  for (const d of dir ? [dir, ''] : ['']) {
    const found = LOCKFILES.find(([file, manager]) => manager && isFile(repo, inDir(d, file)));
    if (found) return found[1]!;
  }
  return 'npm';
}

export async function detectLockfile({ repo, dir }: DirContext): Promise<Finding> {
  const found = LOCKFILES.map(([file]) => inDir(dir, file)).find((path) => isFile(repo, path));
  return found ? { lockfile: found } : {};
}
