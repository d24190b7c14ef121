/** Time-ordered unique ids (ULID layout): 48-bit milliseconds then 80 random bits, Crockford base32. */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const RANDOM_MAX = (1n << 80n) - 1n;

let lastTime = -1;
let lastRandom = 0n;

function encode(value: bigint, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    out = ALPHABET[Number(value & 31n)] + out;
    value >>= 5n;
  }
  return out;
}

/** Ids from one process sort in creation order, even within one millisecond or if the clock steps back. */
export function createId(timeMs: number = Date.now()): string {
  if (timeMs <= lastTime && lastRandom < RANDOM_MAX) {
    timeMs = lastTime;
    lastRandom += 1n;
  } else {
    lastTime = Math.max(timeMs, lastTime + 1);
    timeMs = lastTime;
    lastRandom = BigInt(`0x${randomBytes(10).toString('hex')}`);
  }
  return encode(BigInt(timeMs), 10) + encode(lastRandom, 16);
}
