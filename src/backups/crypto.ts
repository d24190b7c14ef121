/**
 * Client-side AES-256-GCM. The key is derived from the configured passphrase with scrypt and a per-backup salt;
 * salt, nonce and tag live in the manifest, so a stored archive alone reveals nothing.
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import type { Transform } from 'node:stream';
import type { Encryption } from './types.js';

const key = (passphrase: string, salt: Buffer) => scryptSync(passphrase, salt, 32);

export function encrypter(passphrase: string): { stream: Transform; finish: () => Encryption } {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key(passphrase, salt), iv);
  return {
    stream: cipher,
    finish: () => ({
      algorithm: 'aes-256-gcm',
      salt: salt.toString('base64'),
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
    }),
  };
}

/** Fails at the end of the stream when the bytes or the passphrase are wrong (GCM authenticates the whole archive). */
export function decrypter(passphrase: string, e: Encryption): Transform {
  const decipher = createDecipheriv(
    'aes-256-gcm',
    key(passphrase, Buffer.from(e.salt, 'base64')),
    Buffer.from(e.iv, 'base64'),
  );
  decipher.setAuthTag(Buffer.from(e.tag, 'base64'));
  return decipher;
}
