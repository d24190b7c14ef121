import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFaker, plantEveryRule } from '../../../test/support/checks/secrets/fake-keys.js';
import { git, removeTree, writeTree } from '../../../test/support/checks/secrets/tree.js';
import { nothingScanned, scanSecrets } from './index.js';

// The default threading reads the load average: the tests set it.
vi.mock('node:os', async (importOriginal) => ({
  ...(await importOriginal<typeof import('node:os')>()),
  loadavg: vi.fn(() => [0, 0, 0]),
}));

const f = createFaker(3);
const ghp = () => `${'ghp_'}${f.b62(36)}`;
const files = async (dir: string, extra: Parameters<typeof scanSecrets>[0] = { cwd: dir }) =>
  (await scanSecrets({ ...extra, cwd: dir })).findings.map((x) => x.file).sort();

let dir = '';
afterEach(() => removeTree(dir));

describe('scanSecrets on the working tree', () => {
  it('respects .gitignore in a git repository, and walks everything but node_modules and .git elsewhere', async () => {
    dir = writeTree({
      '.gitignore': 'local.env\nnode_modules/\n',
      'local.env': `GH=${ghp()}\n`,
      'tracked.env': `GH=${ghp()}\n`,
      'untracked.env': `GH=${ghp()}\n`,
      'node_modules/pkg/key.env': `GH=${ghp()}\n`,
    });
    expect(await files(dir)).toEqual(['local.env', 'tracked.env', 'untracked.env']);
    git(dir, 'init', '-q');
    git(dir, 'add', 'tracked.env', '.gitignore');
    expect(await files(dir)).toEqual(['tracked.env', 'untracked.env']);
    // An ignored directory asked for by name is walked.
    expect(await files(dir, { cwd: dir, path: 'node_modules' })).toEqual(['node_modules/pkg/key.env']);
  });

  it('skips binary and oversized files with a note, and scans one file when given one', async () => {
    const key = ghp();
    dir = writeTree({
      'blob.bin': Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(`GH=${key}\n`)]),
      'big.env': `GH=${key}\n${'#'.repeat(4096)}\n`,
      'small.env': `GH=${key}\n`,
    });
    const result = await scanSecrets({ cwd: dir, maxFileBytes: 1024 });
    expect(result.skipped).toEqual([
      { file: 'big.env', reason: 'too-large', size: 4096 + 1 + `GH=${key}\n`.length },
      { file: 'blob.bin', reason: 'binary' },
    ]);
    expect(result.findings.map((x) => x.file)).toEqual(['small.env']);
    expect(await files(dir, { cwd: dir, path: 'big.env' })).toEqual(['big.env']);
  });

  it('reads UTF-16 text with a byte-order mark (a PowerShell-written .env) instead of skipping it as binary', async () => {
    const key = ghp();
    const text = `# local\r\nGH=${key}\r\n`;
    const be = Buffer.from(`\ufeff${text}`, 'utf16le').swap16();
    dir = writeTree({
      'le.env': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
      'be.env': be,
    });
    const result = await scanSecrets({ cwd: dir });
    expect(result.skipped).toEqual([]);
    expect(result.findings.map((x) => [x.file, x.line, x.column])).toEqual([
      ['be.env', 2, 4],
      ['le.env', 2, 4],
    ]);
  });

  it('reads files past the read buffer whole, and sizes one over the limit without scanning it', async () => {
    const key = ghp();
    const line = `GH=${key}\n`;
    const filler = `${'#'.repeat(99)}\n`.repeat(3000); // 300 KB, several times the first read
    dir = writeTree({
      'long.env': `${filler}${line}`,
      'exact.env': `${filler.slice(0, 200_000 - line.length)}${line}`,
      'over.env': `${filler}${filler}${line}`,
    });
    const result = await scanSecrets({ cwd: dir, maxFileBytes: 400_000 });
    expect(result.findings.map((x) => [x.file, x.line])).toEqual([
      ['exact.env', 2000],
      ['long.env', 3001],
    ]);
    expect(result.skipped).toEqual([{ file: 'over.env', reason: 'too-large', size: 600_000 + line.length }]);
    const atLimit = await scanSecrets({ cwd: dir, path: 'exact.env', maxFileBytes: 200_000 });
    expect([atLimit.findings.length, atLimit.skipped]).toEqual([1, []]);
  });

  it('honours inline gitleaks:allow markers', async () => {
    dir = writeTree({ 'a.ts': `const a = '${ghp()}'; // gitleaks:allow\nconst b = '${ghp()}';\n` });
    const result = await scanSecrets({ cwd: dir });
    expect(result.findings.map((x) => x.line)).toEqual([2]);
  });

  it('gives the same findings on worker threads as in-process', async () => {
    const plants = plantEveryRule(createFaker());
    dir = writeTree(Object.fromEntries(plants.map((p) => [p.file, p.content])));
    const inline = await scanSecrets({ cwd: dir, workers: 0 });
    const threaded = await scanSecrets({ cwd: dir, workers: 2 });
    expect(threaded.workers).toBe(2);
    expect(inline.workers).toBe(0);
    expect(threaded.findings).toEqual(inline.findings);
    expect(threaded.findings).toHaveLength(plants.length);
  });

  it('uses every core on a large tree by default (the main thread and a worker per further core), and the main thread alone on a small one', async () => {
    const tree: Record<string, string> = { 'leak.env': `TOKEN=${ghp()}\n` };
    for (let i = 0; i < 2000; i++) tree[`src/f${i}.js`] = `export const n${i} = ${i};\n`;
    dir = writeTree(tree);
    const large = await scanSecrets({ cwd: dir, gitignore: false });
    expect(large.workers).toBe(Math.min(availableParallelism(), 8) - 1);
    expect(large.mainThread).toBe(true);
    expect(large.findings.map((x) => x.file)).toEqual(['leak.env']);
    const small = await scanSecrets({ cwd: dir, path: 'leak.env', gitignore: false });
    expect(small.workers).toBe(0);
    expect(small.mainThread).toBe(true);
  });

  it('scans a large tree on the main thread alone when other work keeps every core busy', async () => {
    const tree: Record<string, string> = { 'leak.env': `TOKEN=${ghp()}\n` };
    for (let i = 0; i < 2000; i++) tree[`src/f${i}.js`] = `export const n${i} = ${i};\n`;
    dir = writeTree(tree);
    const cores = Math.min(availableParallelism(), 8);
    vi.mocked(loadavg).mockReturnValue([cores + 1, 0, 0]);
    try {
      const busy = await scanSecrets({ cwd: dir, gitignore: false });
      expect(busy.workers).toBe(0);
      expect(busy.mainThread).toBe(true);
      expect(busy.findings.map((x) => x.file)).toEqual(['leak.env']);
      vi.mocked(loadavg).mockReturnValue([cores + 0.9, 0, 0]);
      expect((await scanSecrets({ cwd: dir, gitignore: false })).workers).toBe(cores > 1 ? cores - 1 : 0);
    } finally {
      vi.mocked(loadavg).mockReturnValue([0, 0, 0]);
    }
  });
});

describe('the baseline', () => {
  it('accepts findings by rule, file and secret hash, so they survive edits, and never stores the secret', async () => {
    const key = ghp();
    dir = writeTree({ 'a.env': `GH=${key}\n` });
    const written = await scanSecrets({ cwd: dir, writeBaseline: true });
    expect(written).toMatchObject({
      baselineWritten: 1,
      findings: [],
      baselineFile: '.opsbook/secrets-baseline.json',
    });
    const stored = readFileSync(join(dir, '.opsbook/secrets-baseline.json'), 'utf8');
    expect(stored).not.toContain(key.slice(4));
    expect(JSON.parse(stored).findings).toEqual([
      { rule: 'github-pat', file: 'a.env', secretHash: expect.stringMatching(/^[0-9a-f]{64}$/) },
    ]);

    writeFileSync(join(dir, 'a.env'), `# moved down\nOTHER=1\nGH=${key}\n`);
    expect(await scanSecrets({ cwd: dir })).toMatchObject({ findings: [], baselined: 1 });

    writeFileSync(join(dir, 'a.env'), `GH=${key}\nGH2=${ghp()}\n`);
    const rescan = await scanSecrets({ cwd: dir });
    expect(rescan.findings.map((x) => x.line)).toEqual([2]);
    expect(rescan.baselined).toBe(1);
  });

  it('rejects a baseline that is not one, with a way out', async () => {
    dir = writeTree({ 'a.env': 'A=1\n', 'base.json': '{"findings": [{"rule": 1}]}' });
    await expect(scanSecrets({ cwd: dir, baseline: 'base.json' })).rejects.toThrow(
      /base\.json is not a secrets baseline/,
    );
  });
});

describe('scanSecrets --history', () => {
  it('finds a key that a later commit removed, at the line and commit that added it', async () => {
    const key = ghp();
    dir = writeTree({ 'config.ts': 'export const a = 1;\n' });
    git(dir, 'init', '-q');
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', 'first');
    writeFileSync(
      join(dir, 'config.ts'),
      `export const a = 1;\nexport const b = 2;\nexport const token = '${key}';\n`,
    );
    git(dir, 'commit', '-qam', 'add token');
    const added = git(dir, 'rev-parse', 'HEAD');
    writeFileSync(join(dir, 'config.ts'), 'export const a = 1;\n');
    git(dir, 'commit', '-qam', 'remove token');

    expect((await scanSecrets({ cwd: dir })).findings).toEqual([]);
    const history = await scanSecrets({ cwd: dir, history: true, workers: 0 });
    expect(history).toMatchObject({ mode: 'history', commits: 3 });
    expect(history.findings).toMatchObject([
      {
        file: 'config.ts',
        line: 3,
        column: 23,
        ruleId: 'github-pat',
        commit: added,
        author: 'Test Author',
        fingerprint: `${added}:config.ts:github-pat:3`,
      },
    ]);
  });

  it('calls a scan that read nothing a failure, not "no secrets": skipped files, an empty folder, no commits', async () => {
    dir = writeTree({ 'blob.bin': Buffer.from([0, 1, 2]), 'empty/.keep': '' });
    const skipped = await scanSecrets({ cwd: dir, path: 'blob.bin' });
    expect([skipped.files, skipped.findings]).toEqual([0, []]);
    expect(nothingScanned(skipped)).toMatchObject({
      code: 'secrets/nothing-scanned',
      message:
        'no file was scanned in blob.bin: all 1 file(s) there were skipped (binary, too large or unreadable)',
      location: { file: 'blob.bin' },
    });
    git(dir, 'init', '-q');
    const history = await scanSecrets({ cwd: dir, history: true });
    expect(nothingScanned(history)?.message).toMatch(
      /^no commit was scanned in \.: the repository has no history/,
    );
    writeFileSync(join(dir, 'a.ts'), 'export {};\n');
    expect(nothingScanned(await scanSecrets({ cwd: dir }))).toBeUndefined();
  });

  it('says so when the target is not a git repository', async () => {
    dir = writeTree({ 'a.env': 'A=1\n' });
    await expect(scanSecrets({ cwd: dir, history: true })).rejects.toThrow(
      /--history needs a git repository/,
    );
  });
});
