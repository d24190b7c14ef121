/**
 * An env fingerprint: one hash per variable name of what a service ran with at a verified deploy, so a later
 * `doctor` can name the variables whose values changed on the platform since, without anyone storing a value.
 *
 * Why scrypt with a random salt per fingerprint, not SHA-256 or an HMAC whose key sits in the same store:
 * many env values have little entropy (LOG_LEVEL=info, NODE_ENV=production, a short password), so anyone
 * who can read the store could confirm guesses against a fast hash at billions per second, and a key kept
 * next to the hashes protects nothing. A memory-hard KDF makes every guess cost ~8 MiB and milliseconds, per
 * variable, per fingerprint (the salt defeats precomputed tables and makes equal values in two fingerprints
 * or two services look unrelated). The variable's name is hashed with its value, so two variables with the
 * same value do not share a hash either. The parameters are stored with the hashes so they can be raised
 * later without breaking older fingerprints.
 */
import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
  keyLength: number;
}

/** ~8 MiB and a few tens of ms per value on one core: cheap for a deploy, slow for a dictionary. */
export const DEFAULT_PARAMS: ScryptParams = { N: 2 ** 13, r: 8, p: 1, keyLength: 32 };

export interface EnvFingerprint {
  service: string;
  environment: string;
  /** The deploy run whose verified release ran with these values. */
  runId: string;
  recordedAt: string;
  kdf: { name: 'scrypt' } & ScryptParams;
  /** base64, random per fingerprint. */
  salt: string;
  /** Variable name -> base64 hash of name and value; null when the platform never returns the value (write-only). */
  vars: Record<string, string | null>;
  /** Per readable variable: the verified deploy since which it has held this value (absent in older records). */
  since?: Record<string, VarSince>;
}

export interface VarSince {
  runId: string;
  at: string;
  /** True when the value changed at that deploy (a rotation); false when that is only opsbook's first record of it. */
  rotated: boolean;
}

export interface EnvChanges {
  changed: string[];
  added: string[];
  removed: string[];
  /** Write-only then or now: the platform hides the value, so no comparison is possible. */
  unknown: string[];
}

function hashValue(name: string, value: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) =>
    // The NUL keeps `A`+`BC` and `AB`+`C` apart.
    scrypt(`${name}\0${value}`, salt, params.keyLength, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

export interface FingerprintInput {
  service: string;
  environment: string;
  runId: string;
  /** What the platform returns now. */
  values: Record<string, string>;
  /** Names whose value the platform does not return (an empty string stands in for it). */
  unreadable?: ReadonlySet<string>;
  now?: () => number;
  params?: ScryptParams;
}

export async function fingerprintEnv(input: FingerprintInput): Promise<EnvFingerprint> {
  const params = input.params ?? DEFAULT_PARAMS;
  const salt = randomBytes(16);
  const names = Object.keys(input.values).sort();
  const hashes = await Promise.all(
    names.map((name) =>
      input.unreadable?.has(name) ? null : hashValue(name, input.values[name] ?? '', salt, params),
    ),
  );
  return {
    service: input.service,
    environment: input.environment,
    runId: input.runId,
    recordedAt: new Date((input.now ?? Date.now)()).toISOString(),
    kdf: { name: 'scrypt', ...params },
    salt: salt.toString('base64'),
    vars: Object.fromEntries(names.map((name, i) => [name, hashes[i]?.toString('base64') ?? null])),
  };
}

/** Which variables differ between the fingerprint and the values the platform returns now (names only). */
export async function compareEnv(
  fingerprint: EnvFingerprint,
  values: Record<string, string>,
  unreadable: ReadonlySet<string> = new Set(),
): Promise<EnvChanges> {
  const salt = Buffer.from(fingerprint.salt, 'base64');
  const { name: _, ...params } = fingerprint.kdf;
  const changes: EnvChanges = { changed: [], added: [], removed: [], unknown: [] };
  const before = fingerprint.vars;
  const compared = await Promise.all(
    Object.keys(values)
      .sort()
      .map(async (name): Promise<[string, keyof EnvChanges | undefined]> => {
        if (!(name in before)) return [name, 'added'];
        const then = before[name];
        if (then === null || then === undefined || unreadable.has(name)) return [name, 'unknown'];
        const now = await hashValue(name, values[name] ?? '', salt, params);
        const old = Buffer.from(then, 'base64');
        return [name, old.length === now.length && timingSafeEqual(old, now) ? undefined : 'changed'];
      }),
  );
  for (const [name, kind] of compared) if (kind) changes[kind].push(name);
  for (const name of Object.keys(before).sort()) if (!(name in values)) changes.removed.push(name);
  return changes;
}
