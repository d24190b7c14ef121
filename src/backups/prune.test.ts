import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BackupEntry } from './entry.js';
import { localDestination } from './local-destination.js';
import { pruneBackups } from './prune.js';

const entry = { id: 'nightly', retention: { days: 30 } } as unknown as BackupEntry;
const NOW = new Date('2026-12-04T12:00:00Z');

describe('backup prune of what killed runs left', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'opsbook-prune-'));
    const dir = join(root, 'nightly');
    await mkdir(dir, { recursive: true });
    const manifest = (stamp: string) =>
      JSON.stringify({
        id: `nightly/${stamp}`,
        key: `nightly/${stamp}.dump`,
        startedAt: '2026-12-01T02:00:00Z',
      });
    // A complete backup, three days old: kept by the retention.
    await writeFile(join(dir, '20261201T020000.000Z.dump'), 'x');
    await writeFile(join(dir, '20261201T020000.000Z.manifest.json'), manifest('20261201T020000.000Z'));
    // Killed between the archive and its manifest, two days ago; and one killed while writing, as a partial.
    await writeFile(join(dir, '20261202T020000.000Z.dump'), 'x');
    await writeFile(join(dir, '20261202T030000.000Z.tar.partial'), 'x');
    // Written an hour ago: a run may still be writing them.
    await writeFile(join(dir, '20261204T110000.000Z.dump'), 'x');
    await writeFile(join(dir, '20261204T110000.000Z.dump.partial'), 'x');
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('removes archives without a manifest and partial files over a day old, and reports them', async () => {
    const destination = localDestination(root);
    const dry = await pruneBackups({ entry, destination, dryRun: true, now: NOW });
    expect(dry.leftovers).toEqual([
      'nightly/20261202T020000.000Z.dump',
      'nightly/20261202T030000.000Z.tar.partial',
    ]);
    expect(await readdir(join(root, 'nightly'))).toHaveLength(6);
    const run = await pruneBackups({ entry, destination, dryRun: false, now: NOW });
    expect(run.leftovers).toEqual(dry.leftovers);
    expect((await readdir(join(root, 'nightly'))).sort()).toEqual([
      '20261201T020000.000Z.dump',
      '20261201T020000.000Z.manifest.json',
      '20261204T110000.000Z.dump',
      '20261204T110000.000Z.dump.partial',
    ]);
  });
});
