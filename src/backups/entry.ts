/** A configured backup entry, and picking one by name. */
import type { StackConfig } from '../config/index.js';
import { UserError } from '../errors.js';

export type BackupEntry = StackConfig['backups'][number];

export function pickEntry(config: StackConfig, name: string | undefined): BackupEntry {
  const entries = config.backups;
  if (!entries.length) throw new UserError('no backups configured', 'add a backups: entry to opsbook.yaml');
  if (name === undefined) {
    if (entries.length === 1) return entries[0]!;
    throw new UserError(
      'several backups are configured: name one',
      `configured: ${entries.map((e) => e.id).join(', ')}`,
    );
  }
  const entry = entries.find((e) => e.id === name);
  if (!entry)
    throw new UserError(`no backup '${name}'`, `configured: ${entries.map((e) => e.id).join(', ')}`);
  return entry;
}
