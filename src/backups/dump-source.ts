/**
 * pg_dump as a byte stream. Custom format streams straight from pg_dump's stdout. Directory format (`pg_dump -Fd
 * -j N`, parallel workers for large databases) must write to a directory, so it dumps into a scratch directory and
 * then streams it as a tar, file by file: memory stays bounded, and the scratch space is freed when done.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { spawnTool, type ToolExit } from './child.js';
import { tarDirectory } from './tar.js';
import type { BackupFormat } from './types.js';

export interface DumpSource {
  stream: Readable;
  /** pg_dump's exit; for directory format the stream only starts once it succeeded. */
  exit: Promise<ToolExit>;
  cleanup(): Promise<void>;
}

export interface DumpOptions {
  toolPath: string;
  format: BackupFormat;
  jobs: number;
  snapshot: string;
  dbname: string;
  env: NodeJS.ProcessEnv;
  url: string;
  signal?: AbortSignal;
}

/** Where directory-format dumps and restores are unpacked: OPSBOOK_BACKUP_TMPDIR, else the system's temp dir. */
export const scratchRoot = (env: NodeJS.ProcessEnv) => env.OPSBOOK_BACKUP_TMPDIR || tmpdir();

export async function startDump(options: DumpOptions): Promise<DumpSource> {
  const common = [`--snapshot=${options.snapshot}`, '--no-password', `--dbname=${options.dbname}`];
  const spawnOptions = {
    env: options.env,
    url: options.url,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  if (options.format === 'custom') {
    const dump = spawnTool(options.toolPath, ['--format=custom', ...common], {
      ...spawnOptions,
      stdout: true,
    });
    return { stream: dump.child.stdout!, exit: dump.exit, cleanup: async () => {} };
  }
  const scratch = await mkdtemp(join(scratchRoot(options.env), 'opsbook-dump-'));
  const dir = join(scratch, 'dump');
  const dump = spawnTool(
    options.toolPath,
    ['--format=directory', `--jobs=${options.jobs}`, `--file=${dir}`, ...common],
    spawnOptions,
  );
  async function* archive(): AsyncGenerator<Buffer> {
    const exit = await dump.exit;
    if (exit.code !== 0)
      throw new Error(`pg_dump failed (exit ${exit.code}): ${exit.stderr || 'no message'}`);
    yield* tarDirectory(dir) as AsyncIterable<Buffer>;
  }
  return {
    stream: Readable.from(archive(), { objectMode: false }),
    exit: dump.exit,
    cleanup: () => rm(scratch, { recursive: true, force: true }),
  };
}
