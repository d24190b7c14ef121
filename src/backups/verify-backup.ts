/**
 * `backup verify`: the restore drill. Restores the archive into a scratch database (never the source), compares
 * the tables and row counts with the manifest, runs the configured invariants, times it all and drops the scratch
 * database. The result is stored beside the backup: only a verified backup counts.
 */

import { UserError } from '../errors.js';
import { dropAbandonedScratch, scratchName } from '../scratch-db/index.js';
import type { Destination } from './destination.js';
import type { BackupEntry } from './entry.js';
import { splitId, verifyKey } from './keys.js';
import { connect, quoteIdent, sameDatabase, urlForDatabase } from './pg.js';
import { checkArtifact, restoreArchive } from './restore-archive.js';
import { compareTables, countTables } from './tables.js';
import type { BackupManifest, VerifyRecord } from './types.js';

const SCRATCH_PREFIX = 'opsbook_verify_';

export interface VerifyBackupOptions {
  entry: BackupEntry;
  manifest: BackupManifest;
  destination: Destination;
  /** The backed-up database: the scratch database must never be it. */
  sourceUrl: string;
  /** A database on the server that hosts the scratch database (default: the source server). */
  serverUrl?: string;
  env: NodeJS.ProcessEnv;
  passphrase?: string;
  now?: () => Date;
  signal?: AbortSignal;
}

type Invariant = NonNullable<BackupEntry['verify']>['invariants'][number];

async function runInvariants(url: string, invariants: readonly Invariant[]): Promise<string[]> {
  if (!invariants.length) return [];
  const client = await connect(url, 'verify-invariants');
  const problems: string[] = [];
  try {
    for (const inv of invariants) {
      try {
        const { rows } = await client.query(inv.sql);
        const first = rows[0] ? Object.values(rows[0])[0] : undefined;
        if (first !== true)
          problems.push(`invariant '${inv.name}' does not hold (got ${JSON.stringify(first ?? null)})`);
      } catch (error) {
        problems.push(`invariant '${inv.name}' failed: ${(error as Error).message}`);
      }
    }
  } finally {
    await client.end().catch(() => {});
  }
  return problems;
}

export async function verifyBackup(options: VerifyBackupOptions): Promise<VerifyRecord> {
  const now = options.now ?? (() => new Date());
  const started = now();
  const { manifest, destination } = options;
  const invariants = options.entry.verify?.invariants ?? [];
  const finish = async (problems: string[], checked?: VerifyRecord['checked']): Promise<VerifyRecord> => {
    const record: VerifyRecord = {
      backupId: manifest.id,
      ok: problems.length === 0,
      at: started.toISOString(),
      durationMs: now().getTime() - started.getTime(),
      problems,
      ...(checked ? { checked } : {}),
    };
    const parts = splitId(manifest.id);
    if (parts)
      await destination.putText(verifyKey(parts.entry, parts.stamp), `${JSON.stringify(record, null, 2)}\n`);
    return record;
  };

  const artifact = await checkArtifact(manifest, destination, options.passphrase);
  if (artifact.length) return finish(artifact);
  // A restore that ran without error proves little on its own: with no table recorded and no invariant there is
  // nothing to compare it with (backup run no longer keeps such a backup; older ones may exist).
  if (!manifest.tables.length && !invariants.length)
    return finish([
      'nothing to check: the backup recorded no tables and the entry has no verify.invariants, so a restore could not show that any data came back',
    ]);

  const serverUrl = options.serverUrl ?? options.sourceUrl;
  const scratch = scratchName(SCRATCH_PREFIX);
  const scratchUrl = urlForDatabase(serverUrl, scratch);
  if (sameDatabase(scratchUrl, options.sourceUrl))
    return finish(['the scratch database would be the source database']);
  const admin = await connect(serverUrl, 'verify-admin');
  try {
    // A drill killed before its drop (kill -9, a lost runner) left a copy of production data behind: gone now.
    await dropAbandonedScratch(admin, SCRATCH_PREFIX);
    await admin.query(`CREATE DATABASE ${quoteIdent(scratch)}`).catch((error: Error & { code?: string }) => {
      // The drill could not run: no verdict on the backup (nothing is recorded beside it), and the fix is the role's.
      if (error.code === '42501')
        throw new UserError(
          `the restore drill cannot create its scratch database: ${error.message}`,
          'give the role in the URL CREATEDB (ALTER ROLE ... CREATEDB), or set verify.serverUrlEnv to a server where it may',
        );
      throw error;
    });
    try {
      const problems = await restoreArchive({
        manifest,
        destination,
        targetUrl: scratchUrl,
        env: options.env,
        noOwner: true,
        ...(options.passphrase !== undefined ? { passphrase: options.passphrase } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      if (!problems.length) {
        const client = await connect(scratchUrl, 'verify-count');
        try {
          problems.push(...compareTables(manifest.tables, await countTables(client)));
        } finally {
          await client.end().catch(() => {});
        }
        problems.push(...(await runInvariants(scratchUrl, invariants)));
      }
      const rows = manifest.tables.reduce((n, t) => n + t.rows, 0);
      return await finish(problems, { tables: manifest.tables.length, rows, invariants: invariants.length });
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(scratch)} WITH (FORCE)`).catch(() => {});
    }
  } finally {
    await admin.end().catch(() => {});
  }
}
