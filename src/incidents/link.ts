/**
 * Signed acknowledge links: HMAC-SHA256 over the incident, the person and an expiry, with a nonce the
 * timeline consumes on first use. The key is OPSBOOK_SIGNING_KEY, or one generated once and kept in the
 * store so every `serve` instance of a team signs and checks alike.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { UserError } from '../errors.js';
import type { Store } from '../store/index.js';

export const SIGNING_KEY_VAR = 'OPSBOOK_SIGNING_KEY';
export const LINK_TTL_MS = 24 * 3_600_000;
const CACHE_KEY = 'incidents:link-key';

export interface AckClaim {
  incidentId: string;
  who: string;
  expiresAt: number;
  nonce: string;
}

/** 128 bits as hex: a shorter key lets whoever holds one link guess it offline and forge acknowledgements. */
const MIN_KEY_LENGTH = 32;

export async function linkKey(store: Store, env: Record<string, string | undefined>): Promise<string> {
  const fromEnv = env[SIGNING_KEY_VAR];
  if (fromEnv && fromEnv.length < MIN_KEY_LENGTH)
    throw new UserError(
      `${SIGNING_KEY_VAR} is ${fromEnv.length} characters: too short to sign acknowledge links (whoever holds one link could guess it and acknowledge any incident, stopping its escalation)`,
      `use at least ${MIN_KEY_LENGTH} random characters, e.g. export ${SIGNING_KEY_VAR}=$(openssl rand -hex 32), or unset it and opsbook keeps a generated key in the store`,
      'incident/weak-signing-key',
    );
  if (fromEnv) return fromEnv;
  const kept = await store.getCache(CACHE_KEY);
  if (typeof kept === 'string') return kept;
  await store.putCache(CACHE_KEY, randomBytes(32).toString('hex'));
  // Two instances may race to create it: whichever write landed last is the key for both.
  return String(await store.getCache(CACHE_KEY));
}

const mac = (key: string, body: string) => createHmac('sha256', key).update(body).digest('base64url');

export function signAck(key: string, claim: Omit<AckClaim, 'nonce'>): string {
  const body = Buffer.from(
    JSON.stringify([claim.incidentId, claim.who, claim.expiresAt, randomBytes(9).toString('base64url')]),
  ).toString('base64url');
  return `${body}.${mac(key, body)}`;
}

export type VerifyResult = { ok: true; claim: AckClaim } | { ok: false; reason: string };

export function verifyAck(key: string, token: string, incidentId: string, now: number): VerifyResult {
  const [body = '', signature = ''] = token.split('.');
  const expected = Buffer.from(mac(key, body));
  const given = Buffer.from(signature);
  if (!body || given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'this link is not valid' };
  const [id, who, expiresAt, nonce] = JSON.parse(Buffer.from(body, 'base64url').toString()) as [
    string,
    string,
    number,
    string,
  ];
  if (id !== incidentId) return { ok: false, reason: 'this link belongs to another incident' };
  if (expiresAt <= now) return { ok: false, reason: 'this link has expired' };
  return { ok: true, claim: { incidentId: id, who, expiresAt, nonce } };
}
