/**
 * `backup run`: pg_dump (custom format, or parallel directory format stored as a tar), streamed through a checksum (and encryption when configured) to the
 * destination. Row counts come from the very snapshot pg_dump reads (pg_export_snapshot), so a later restore can
 * be checked exactly. The manifest is written last: a backup without one does not exist.
 */
import { pipeline } from 'node:stream/promises';
import { checksumTap } from './checksum.js';
import { encrypter } from './crypto.js';
import type { Destination } from './destination.js';
import { startDump } from './dump-source.js';
import type { BackupEntry } from './entry.js';
import { archiveKey, manifestKey, stampOf } from './keys.js';
import { connect, databaseName, serverVersion, toolConnection } from './pg.js';
import { findPgTool } from './pg-tools.js';
import { countTables } from './tables.js';
import type { BackupManifest } from './types.js';

export interface RunBackupOptions {
  entry: BackupEntry;
  url: string;
  destination: Destination;
  env: NodeJS.ProcessEnv;
  /** The encryption passphrase when the entry has encryption. */
  passphrase?: string;
  now?: () => Date;
  signal?: AbortSignal;
  /** Keep an archive of a database without tables (a restore's safety copy keeps whatever is there). */
  allowNoTables?: boolean;
}

export type RunBackupResult = { ok: true; manifest: BackupManifest } | { ok: false; error: string };

export async function runBackup(options: RunBackupOptions): Promise<RunBackupResult> {
  const now = options.now ?? (() => new Date());
  const started = now();
  const client = await connect(options.url, 'snapshot');
  let cleanup = async () => {};
  try {
    const server = await serverVersion(client);
    const tool = await findPgTool('pg_dump', server.major, options.env);
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { rows } = await client.query<{ s: string }>('SELECT pg_export_snapshot() AS s');
    const stamp = stampOf(started);
    const key = archiveKey(options.entry.id, stamp, options.entry.format);
    const conn = toolConnection(options.url, options.env);
    const format = options.entry.format;
    const jobs = options.entry.jobs ?? 1;
    // Counted while pg_dump streams: same snapshot, so the numbers are those in the archive.
    const counting = countTables(client).then(
      (tables) => ({ tables }),
      (error: Error) => ({ error: error.message }),
    );
    const dump = await startDump({
      toolPath: tool.path,
      format,
      jobs,
      snapshot: rows[0]!.s,
      dbname: conn.dbname,
      env: conn.env,
      url: options.url,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    cleanup = dump.cleanup;
    const pending = await options.destination.create(key);
    const tap = checksumTap();
    const enc = options.passphrase !== undefined ? encrypter(options.passphrase) : undefined;
    const streamed = pipeline([dump.stream, ...(enc ? [enc.stream] : []), tap.stream, pending.stream]).then(
      () => undefined,
      (error: Error) => error.message,
    );
    const [exit, streamError, counted] = await Promise.all([dump.exit, streamed, counting]);
    const failure =
      exit.code !== 0
        ? `pg_dump failed (exit ${exit.code}): ${exit.stderr || 'no message'}`
        : (streamError ??
          ('error' in counted
            ? `counting rows failed: ${counted.error}`
            : counted.tables.length === 0 && !options.allowNoTables
              ? noTables(options)
              : undefined));
    if (failure) {
      await pending.abort();
      // An S3 upload completes when the stream ends, even when pg_dump failed: remove what it left.
      await options.destination.remove(key).catch(() => {});
      return { ok: false, error: failure };
    }
    await pending.commit();
    const finished = now();
    const sum = tap.result();
    const manifest: BackupManifest = {
      id: `${options.entry.id}/${stamp}`,
      entry: options.entry.id,
      database: databaseName(options.url),
      serverVersion: server.text,
      pgDumpVersion: tool.version,
      format,
      ...(format === 'directory' ? { jobs } : {}),
      key,
      bytes: sum.bytes,
      sha256: sum.sha256,
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      durationMs: finished.getTime() - started.getTime(),
      tables: 'tables' in counted ? counted.tables : [],
      ...(enc ? { encryption: enc.finish() } : {}),
    };
    try {
      await options.destination.putText(
        manifestKey(options.entry.id, stamp),
        `${JSON.stringify(manifest, null, 2)}\n`,
      );
    } catch (error) {
      // Without its manifest the archive is never listed, verified or pruned: a full copy of the data left for good.
      await options.destination.remove(key).catch(() => {});
      throw error;
    }
    return { ok: true, manifest };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  } finally {
    await cleanup().catch(() => {});
    await client.query('ROLLBACK').catch(() => {});
    await client.end().catch(() => {});
  }
}

/**
 * A database without a single table is not backed up: an archive of nothing would count as a good backup, and a
 * restore drill of it would compare nothing. It is almost always the wrong database (the server's default `postgres`
 * database, a fresh preview branch) rather than an application without data.
 */
function noTables(options: RunBackupOptions): string {
  return `database '${databaseName(options.url)}' has no tables, so there is nothing to back up: check that ${options.entry.urlEnv} points at the application's database`;
}
