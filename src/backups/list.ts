/** The backups in a destination, newest first, each with its last verification. */
import type { Destination } from './destination.js';
import type { BackupListing, BackupManifest, VerifyRecord } from './types.js';

async function readJson<T>(destination: Destination, key: string): Promise<T | undefined> {
  const text = await destination.getText(key);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

export async function listBackups(destination: Destination, entry: string): Promise<BackupListing[]> {
  const keys = await destination.list(`${entry}/`);
  const verified = new Set(keys.filter((k) => k.endsWith('.verify.json')));
  const out: BackupListing[] = [];
  for (const key of keys.filter((k) => k.endsWith('.manifest.json')).reverse()) {
    const manifest = await readJson<BackupManifest>(destination, key);
    if (!manifest) continue;
    const vkey = key.replace(/\.manifest\.json$/, '.verify.json');
    const verification = verified.has(vkey) ? await readJson<VerifyRecord>(destination, vkey) : undefined;
    out.push({ manifest, ...(verification ? { verification } : {}) });
  }
  return out;
}

export async function findBackup(
  destination: Destination,
  entry: string,
  id: string | undefined,
): Promise<BackupListing | undefined> {
  const all = await listBackups(destination, entry);
  return id === undefined ? all[0] : all.find((b) => b.manifest.id === id);
}
