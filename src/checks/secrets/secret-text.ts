/** What may be said about a secret outside the detector: a 4-character prefix and a hash, never the value. */
import { createHash } from 'node:crypto';

const PREFIX = 4;

/** The first 4 characters and `…`; shorter secrets show a quarter of themselves so most of it stays hidden. */
export function redactSecret(secret: string): string {
  const shown = Math.min(PREFIX, Math.floor(secret.length / 4));
  return `${secret.slice(0, shown)}…`;
}

/** SHA-256 hex of the secret's bytes (pass a Buffer for text held as a binary string). */
export function hashSecret(secret: string | Buffer): string {
  return createHash('sha256').update(secret).digest('hex');
}
