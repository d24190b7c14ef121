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

async function gitFingerprint(cwd: string, pathspecs: string[]): Promise<string | undefined> {
  try {
    // opsbook's own state (.opsbook/: the store, gate logs) changes on every run and must not key the cache.
    const specs = pathspecs.length ? pathspecs.map((p) => `:(glob)${p}`) : ['.'];
    const args = ['ls-files', '-co', '--exclude-standard', '-z', '--', ...specs, ':(exclude).opsbook'];
    const { stdout } = await run('git', args, { cwd, maxBuffer: 256 * 1024 * 1024 });
    const files = stdout.split('\0').filter(Boolean).sort();
    if (files.length === 0) return 'empty';
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

async function walkFingerprint(root: string): Promise<string> {
  const h = createHash('sha256');
  const walk = async (dir: string): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
      a.name.localeCompare(b.name),
    );
    for (const e of entries) {
      const full = join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) await walk(full);
      } else if (e.isFile()) {
        h.update(`${relative(root, full)}\0`);
        h.update(await readFile(full));
      }
    }
  };
  await walk(root);
  return h.digest('hex');
}

/** The content fingerprint of a gate's inputs (default: the whole tree). */
export async function inputsFingerprint(cwd: string, inputs: string[] | undefined): Promise<string> {
  return (await gitFingerprint(cwd, inputs ?? [])) ?? (await walkFingerprint(cwd));
}

/** `extra`: the hash of what the gate reads outside the tree (the env gate's values and their source). */
export function cacheKey(gate: Gate, environment: string, fingerprint: string, extra?: string): string {
  const h = createHash('sha256')
    .update(JSON.stringify({ gate, environment, fingerprint, extra: extra ?? null }))
    .digest('hex');
  return `gate:${gate.id}:${h}`;
}
