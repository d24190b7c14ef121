/** Where backups are stored: a small interface that the local directory and S3-compatible storage implement. */
import type { Readable, Writable } from 'node:stream';

export interface PendingObject {
  /** Write the bytes here; the object is not visible under its key until commit(). */
  stream: Writable;
  commit(): Promise<void>;
  /** Drops whatever was written (a failed or cancelled backup leaves nothing behind). */
  abort(): Promise<void>;
}

export interface Destination {
  /** For messages: `/var/backups/app` or `s3://bucket/prefix`. */
  readonly describe: string;
  create(key: string): Promise<PendingObject>;
  /** undefined when there is no such object. */
  read(key: string): Promise<Readable | undefined>;
  size(key: string): Promise<number | undefined>;
  putText(key: string, text: string): Promise<void>;
  getText(key: string): Promise<string | undefined>;
  /** Every key that starts with `prefix`. */
  list(prefix: string): Promise<string[]>;
  remove(key: string): Promise<void>;
  /** Keys of unfinished writes under `prefix` (a local `.partial` a killed run left), which `list` leaves out. */
  partials?(prefix: string): Promise<string[]>;
}
