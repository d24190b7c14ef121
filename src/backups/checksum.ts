/** A pass-through that hashes and counts the bytes flowing by: the checksum is made while streaming, never by re-reading. */
import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';

export function checksumTap(): { stream: Transform; result: () => { sha256: string; bytes: number } } {
  const hash = createHash('sha256');
  let bytes = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  let digest: string | undefined;
  return {
    stream,
    result: () => {
      digest ??= hash.digest('hex');
      return { sha256: digest, bytes };
    },
  };
}
