/**
 * Streams an archive from its destination into pg_restore, checking its size and sha256 against the manifest on
 * the way (decrypting when it was encrypted). A truncated or altered archive fails with that reason.
 */
import { pipeline } from 'node:stream/promises';
import { checksumTap } from './checksum.js';
import { spawnTool } from './child.js';
import { decrypter } from './crypto.js';
import type { Destination } from './destination.js';
import { connect, serverVersion, toolConnection } from './pg.js';
import { findPgTool } from './pg-tools.js';
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
  const restore = spawnTool(tool.path, args, {
    env: conn.env,
    url: options.targetUrl,
    stdin: true,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const tap = checksumTap();
  const steps = [
    input,
    tap.stream,
    ...(manifest.encryption && options.passphrase !== undefined
      ? [decrypter(options.passphrase, manifest.encryption)]
      : []),
    restore.child.stdin!,
  ];
  const streamError = await pipeline(steps).then(
    () => undefined,
    (error: Error) => error.message,
  );
  const exit = await restore.exit;
  const problems: string[] = [];
  const sum = tap.result();
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
  if (exit.code !== 0) problems.push(`pg_restore failed (exit ${exit.code}): ${exit.stderr || 'no message'}`);
  return problems;
}
