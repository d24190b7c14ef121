/** What a backup is once written: its manifest (stored beside the archive) and the result of each operation. */

export interface TableCount {
  schema: string;
  name: string;
  /** Exact count in the snapshot pg_dump read. */
  rows: number;
  /** The planner's estimate (pg_class.reltuples) at backup time; -1 when never analyzed. */
  estimate: number;
}

export interface Encryption {
  algorithm: 'aes-256-gcm';
  /** scrypt salt and GCM nonce and tag, base64: not secret, needed to decrypt with the key. */
  salt: string;
  iv: string;
  tag: string;
}

/** `custom`: one pg_dump archive streamed from stdout. `directory`: `pg_dump -Fd -j N`, stored as a tar. */
export type BackupFormat = 'custom' | 'directory';

export interface BackupManifest {
  /** `<entry>/<stamp>`: unique, sorts by time within an entry. */
  id: string;
  entry: string;
  database: string;
  serverVersion: string;
  pgDumpVersion: string;
  format: BackupFormat;
  /** Parallel workers pg_dump used (directory format). */
  jobs?: number;
  /** The archive's key in the destination. */
  key: string;
  /** Bytes stored (after encryption when on). */
  bytes: number;
  /** sha256 hex of the stored bytes. */
  sha256: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  tables: TableCount[];
  encryption?: Encryption;
}

export interface VerifyRecord {
  backupId: string;
  ok: boolean;
  at: string;
  /** Time to restore and check: evidence for the restore-time target. */
  durationMs: number;
  problems: string[];
  /** What the drill compared, so that a pass says what it rests on; absent in records written before it was kept. */
  checked?: { tables: number; rows: number; invariants: number };
}

export interface BackupListing {
  manifest: BackupManifest;
  verification?: VerifyRecord;
}
