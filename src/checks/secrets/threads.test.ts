import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimPrestarted, discardPrestarted } from '../../workers/prestart.js';
import { PARALLEL_MIN_FILES, prestartScanWorkers, SCAN_WORKER } from './threads.js';

/** Whether prestartScanWorkers guessed the tree large enough to start a worker for. */
async function prestarted(target: string): Promise<boolean> {
  prestartScanWorkers(target, 1);
  const worker = claimPrestarted(SCAN_WORKER);
  await worker?.worker.terminate();
  await discardPrestarted(SCAN_WORKER);
  return worker !== undefined;
}

/** A git index header (signature, version, entry count): all the guess reads. */
const indexHeader = (entries: number) => {
  const header = Buffer.alloc(12);
  header.write('DIRC', 0, 'latin1');
  header.writeUInt32BE(2, 4);
  header.writeUInt32BE(entries, 8);
  return header;
};

describe('prestartScanWorkers: a worker only for a tree that may need one', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'opsbook-threads-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('starts none for a repository whose index lists few files, from its root or a folder in it', async () => {
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'a.ts'), 'export {};\n');
    execFileSync('git', ['init', '-q'], { cwd: dir });
    execFileSync('git', ['add', '-A'], { cwd: dir });
    expect(await prestarted(dir)).toBe(false);
    expect(await prestarted(join(dir, 'src'))).toBe(false);
  });

  it('starts one for a repository as large as a parallel scan, and for a walked tree once it counts that many files', async () => {
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, '.git', 'index'), indexHeader(PARALLEL_MIN_FILES));
    expect(await prestarted(dir)).toBe(true);
    writeFileSync(join(dir, '.git', 'index'), indexHeader(3));
    // node_modules is ignored, so the scan walks it: its files are counted, not the index's.
    const modules = join(dir, 'node_modules');
    mkdirSync(join(modules, 'pkg'), { recursive: true });
    for (let i = 0; i < 10; i++) writeFileSync(join(modules, 'pkg', `f${i}.js`), '');
    expect(await prestarted(modules)).toBe(false);
    for (let i = 10; i < PARALLEL_MIN_FILES; i++) writeFileSync(join(modules, 'pkg', `f${i}.js`), '');
    expect(await prestarted(modules)).toBe(true);
    // Outside any repository the same count decides, over what the scan walks there: node_modules is not.
    const bare = mkdtempSync(join(tmpdir(), 'opsbook-threads-nogit-'));
    try {
      writeFileSync(join(bare, 'a.env'), '');
      mkdirSync(join(bare, 'node_modules'));
      for (let i = 0; i < PARALLEL_MIN_FILES; i++) writeFileSync(join(bare, 'node_modules', `f${i}.js`), '');
      expect(await prestarted(bare)).toBe(false);
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });

  it('follows a worktree’s .git file to its index', async () => {
    const main = join(dir, 'main-git');
    mkdirSync(main);
    writeFileSync(join(main, 'index'), indexHeader(12));
    mkdirSync(join(dir, 'wt'));
    writeFileSync(join(dir, 'wt', '.git'), 'gitdir: ../main-git\n');
    expect(await prestarted(join(dir, 'wt'))).toBe(false);
  });
});
