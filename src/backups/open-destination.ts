/** The destination a backup entry names, with its credentials read from the environment references. */
import { isAbsolute, resolve } from 'node:path';
import type { SecretRef } from '../config/index.js';
import { UserError } from '../errors.js';
import type { Destination } from './destination.js';
import type { BackupEntry } from './entry.js';
import { localDestination } from './local-destination.js';

function secret(ref: SecretRef | undefined, env: NodeJS.ProcessEnv, field: string): string | undefined {
  if (!ref) return undefined;
  const value = env[ref.env];
  if (!value)
    throw new UserError(`${ref.env} is not set`, `backups: ${field} reads it; set it in the environment`);
  return value;
}

export async function openDestination(
  entry: BackupEntry,
  context: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<Destination> {
  const d = entry.destination;
  if (!d)
    throw new UserError(
      `backup '${entry.id}' has no destination`,
      entry.managed
        ? 'its backups are taken by the platform'
        : 'add destination: { type: local, path: ... } or { type: s3, ... }',
    );
  if (d.type === 'local') return localDestination(isAbsolute(d.path) ? d.path : resolve(context.cwd, d.path));
  // Loaded only for S3: the AWS SDK is large and most commands never need it.
  const { s3Destination } = await import('./s3-destination.js');
  return s3Destination({
    bucket: d.bucket,
    region: d.region,
    ...(d.prefix ? { prefix: d.prefix } : {}),
    ...(d.endpoint ? { endpoint: d.endpoint } : {}),
    ...(d.accessKeyId ? { accessKeyId: secret(d.accessKeyId, context.env, 'accessKeyId') } : {}),
    ...(d.secretAccessKey
      ? { secretAccessKey: secret(d.secretAccessKey, context.env, 'secretAccessKey') }
      : {}),
  });
}

export { secret as readSecret };
