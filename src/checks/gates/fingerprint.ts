/**
 * A gate's cache key: its definition, the environment, the content of its inputs and what it reads besides. In a git repo the
 * content is git's own blob hashes of the tracked and untracked-but-not-ignored files, so an unchanged
 * tree keys the same without re-reading unchanged files into JS.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import type { Gate } from '../../config/index.js';

const run = promisify(execFile);
const SKIP_DIRS = new Set(['node_modules', '.git', '.opsbook', 'dist']);

/** What `inputsFingerprint` returns when declared inputs match no file: nothing there could key a result. */
export const NO_INPUT_FILES = 'no-input-files';

async function gitFingerprint(cwd: string, pathspecs: string[]): Promise<string | undefined> {
  try {
    // opsbook's own state (.opsbook/: the store, gate logs) changes on every run and must not key the cache.
    const specs = pathspecs.length ? pathspecs.map((p) => `:(glob)${p}`) : ['.'];
    // Declared inputs are read as written, ignored files included: `dist/**` is what a bundle-size gate checks, and
    // git's ignore rules left it out, so a rebuilt bundle replayed the old pass. node_modules only when named.
    const declared = pathspecs.length > 0;
    const args = [
      'ls-files',
      '-co',
      ...(declared ? [] : ['--exclude-standard']),
      '-z',
      '--',
      ...specs,
      ':(exclude).opsbook',
      ...(declared && !pathspecs.some((p) => p.includes('node_modules'))
        ? [':(exclude,glob)**/node_modules/**']
        : []),
    ];
    const { stdout } = await run('git', args, { cwd, maxBuffer: 256 * 1024 * 1024 });
    const files = stdout.split('\0').filter(Boolean).sort();
    if (files.length === 0) return declared ? NO_INPUT_FILES : 'empty';
    const child = execFile('git', ['hash-object', '--stdin-paths'], { cwd, maxBuffer: 256 * 1024 * 1024 });
    const hashes = new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (d) => (out += d));
      child.on('error', reject);
      child.on('close', (code) =>
        code === 0 ? resolve(out) : reject(new Error(`git hash-object exited ${code}`)),
      );
    });
    child.stdin?.end(`${files.join('\n')}\n`);
    const lines = (await hashes).trim().split('\n');
    const h = createHash('sha256');
    files.forEach((f, i) => h.update(`${f}\0${lines[i]}\n`));
    return h.digest('hex');
  } catch {
    return undefined; // not a git repository (or git missing): fall back to reading the files
  }
}

/** `declared`: the gate names its inputs, which may be the build output (dist/), so that is read too. */
async function walkFingerprint(root: string, declared: boolean): Promise<string> {
  const h = createHash('sha256');
  const walk = async (dir: string): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
      a.name.localeCompare(b.name),
    );
    for (const e of entries) {
      const full = join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) || (declared && e.name === 'dist')) await walk(full);
      } else if (e.isFile()) {
        h.update(`${relative(root, full)}\0`);
        h.update(await readFile(full));
      }
    }
  };
  await walk(root);
  return h.digest('hex');
}

/**
 * The content fingerprint of a gate's inputs (default: the whole tree); NO_INPUT_FILES when declared inputs match no
 * file in a git repository. Outside one the whole tree is read, declared inputs or not.
 */
export async function inputsFingerprint(cwd: string, inputs: string[] | undefined): Promise<string> {
  return (await gitFingerprint(cwd, inputs ?? [])) ?? (await walkFingerprint(cwd, Boolean(inputs?.length)));
}

/** `extra`: the hash of what the gate reads outside the tree (the env gate's values and their source). */
export function cacheKey(gate: Gate, environment: string, fingerprint: string, extra?: string): string {
  const h = createHash('sha256')
    .update(JSON.stringify({ gate, environment, fingerprint, extra: extra ?? null }))
    .digest('hex');
  return `gate:${gate.id}:${h}`;
}
