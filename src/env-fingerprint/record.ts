/** Where fingerprints live: the store's cache, one entry per environment and service, replaced at each verified deploy. */
import type { JsonValue, Store } from '../store/index.js';
import type { EnvFingerprint } from './fingerprint.js';

const key = (environment: string, service: string) => `env-fingerprint:${environment}:${service}`;

export async function saveEnvFingerprint(store: Store, fingerprint: EnvFingerprint): Promise<void> {
  await store.putCache(
    key(fingerprint.environment, fingerprint.service),
    fingerprint as unknown as JsonValue,
  );
}

export async function loadEnvFingerprint(
  store: Store,
  environment: string,
  service: string,
): Promise<EnvFingerprint | undefined> {
  const value = await store.getCache(key(environment, service));
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const f = value as unknown as EnvFingerprint;
  // A record from another version or shape is no evidence: treat it as absent rather than misread it.
  return f.kdf?.name === 'scrypt' && typeof f.salt === 'string' && f.vars && typeof f.vars === 'object'
    ? f
    : undefined;
}
