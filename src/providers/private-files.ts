// Small file helpers for provider state under .opsbook: owner-only, written atomically, read leniently.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

/** Writes through a temporary file and a rename, so a reader never sees half a file; owner-only. */
export function writePrivateFile(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, path);
}

export function ensurePrivateDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
}

/** The parsed file, or undefined when it is missing or not JSON. */
export function readJsonFile<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}
