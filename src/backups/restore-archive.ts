/**
 * Streams an archive from its destination into pg_restore (a directory-format tar is unpacked to scratch space first
 * for `pg_restore -j`), checking its size and sha256 against the manifest on
 * the way (decrypting when it was encrypted). A truncated or altered archive fails with that reason.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { checksumTap } from './checksum.js';
import { spawnTool } from './child.js';
import { decrypter } from './crypto.js';
import type { Destination } from './destination.js';
import { scratchRoot } from './dump-source.js';
import { connect, serverVersion, toolConnection } from './pg.js';
import { findPgTool } from './pg-tools.js';
import { extractTar } from './tar.js';
import type { BackupManifest } from './types.js';

export interface RestoreArchiveOptions {
  manifest: BackupManifest;
  destination: Destination;
  targetUrl: string;
  env: NodeJS.ProcessEnv;
  passphrase?: string;
  /** Drop objects that exist in the target before recreating them. */
  clean?: boolean;
  /** Leave out ownership and grants (a scratch server may lack the roles). */
  noOwner?: boolean;
  /** pg_restore workers for a directory-format backup (default: as many as pg_dump used). */
  jobs?: number;
  signal?: AbortSignal;
}

/** Problems found before any byte is restored: missing or wrongly sized archive, missing key. */
export async function checkArtifact(
  manifest: BackupManifest,
  destination: Destination,
  passphrase: string | undefined,
): Promise<string[]> {
  const size = await destination.size(manifest.key);
  if (size === undefined) return [`the archive ${manifest.key} is missing from ${destination.describe}`];
  const problems: string[] = [];
  if (size !== manifest.bytes)
    problems.push(
      `the archive has ${size} bytes, its manifest recorded ${manifest.bytes}${size < manifest.bytes ? ' (truncated)' : ''}`,
    );
  if (manifest.encryption && passphrase === undefined)
    problems.push('the archive is encrypted and no encryption key is configured for this backup');
  return problems;
}

function streamProblems(
  sum: { bytes: number; sha256: string },
  manifest: BackupManifest,
  streamError: string | undefined,
): string[] {
  const problems: string[] = [];
  if (sum.bytes !== manifest.bytes && !streamError)
    problems.push(`read ${sum.bytes} bytes, the manifest recorded ${manifest.bytes}`);
  else if (sum.sha256 !== manifest.sha256 && !streamError)
    problems.push('the archive checksum does not match its manifest: it was altered or corrupted');
  if (streamError && !/EPIPE|premature close/i.test(streamError))
    problems.push(
      /unable to authenticate|auth/i.test(streamError)
        ? 'decryption failed: wrong key or altered archive'
        : `reading the archive failed: ${streamError}`,
    );
  return problems;
}

export async function restoreArchive(options: RestoreArchiveOptions): Promise<string[]> {
  const { manifest, destination } = options;
  const input = await destination.read(manifest.key);
  if (!input) return [`the archive ${manifest.key} is missing from ${destination.describe}`];
  const client = await connect(options.targetUrl, 'restore-target');
  const server = await serverVersion(client).finally(() => client.end().catch(() => {}));
  const tool = await findPgTool(
    'pg_restore',
    Math.max(server.major, Number.parseInt(manifest.pgDumpVersion, 10)),
    options.env,
  );
  const conn = toolConnection(options.targetUrl, options.env);
  const args = [
    '--exit-on-error',
    '--no-password',
    ...(options.clean ? ['--clean', '--if-exists'] : []),
    ...(options.noOwner ? ['--no-owner', '--no-privileges'] : []),
    `--dbname=${conn.dbname}`,
  ];
  const tap = checksumTap();
  const decrypt =
    manifest.encryption && options.passphrase !== undefined
      ? [decrypter(options.passphrase, manifest.encryption)]
      : [];
  const spawnOptions = {
    env: conn.env,
    url: options.targetUrl,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  if (manifest.format === 'directory') {
    // pg_restore -j reads a directory: unpack the tar, and restore only once its checksum proved it whole.
    const scratch = await mkdtemp(join(scratchRoot(options.env), 'opsbook-restore-'));
    try {
      const unpack = async (source: AsyncIterable<Buffer>) => {
        await extractTar(source, scratch);
      };
      const streamError = await (decrypt[0]
        ? pipeline(input, tap.stream, decrypt[0], unpack)
        : pipeline(input, tap.stream, unpack)
      ).then(
        () => undefined,
        (error: Error) => error.message,
      );
      const problems = streamProblems(tap.result(), manifest, streamError);
      if (problems.length) return problems;
      const jobs = String(options.jobs ?? manifest.jobs ?? 1);
      const restore = spawnTool(
        tool.path,
        [...args, '--format=directory', `--jobs=${jobs}`, scratch],
        spawnOptions,
      );
      const exit = await restore.exit;
      return exit.code === 0 ? [] : [`pg_restore failed (exit ${exit.code}): ${exit.stderr || 'no message'}`];
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }
  const restore = spawnTool(tool.path, args, { ...spawnOptions, stdin: true });
  const streamError = await pipeline([input, tap.stream, ...decrypt, restore.child.stdin!]).then(
    () => undefined,
    (error: Error) => error.message,
  );
  const exit = await restore.exit;
  const problems = streamProblems(tap.result(), manifest, streamError);
  if (exit.code !== 0) problems.push(`pg_restore failed (exit ${exit.code}): ${exit.stderr || 'no message'}`);
  return problems;
}
