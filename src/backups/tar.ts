/**
 * A minimal ustar writer and reader for pg_dump's directory format: one flat directory of files (toc.dat and one
 * compressed file per table). Both stream file by file in small chunks, so memory stays bounded whatever the size;
 * sizes past ustar's 8 GB octal limit use the GNU base-256 encoding that GNU tar and bsdtar read.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { printable } from '../output/index.js';

const BLOCK = 512;
const OCTAL_SIZE_MAX = 0o77777777777;
/** pg_dump names its files `toc.dat`, `1234.dat.gz`, `blobs.toc`: nothing else is accepted back. */
const SAFE_NAME = /^[\w][\w.-]{0,99}$/;

function writeOctal(block: Buffer, value: number, offset: number, length: number): void {
  block.write(`${value.toString(8).padStart(length - 1, '0')}\0`, offset, length, 'ascii');
}

export function tarHeader(name: string, size: number, mtime: number): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(name, 0, 100, 'utf8');
  writeOctal(block, 0o600, 100, 8);
  writeOctal(block, 0, 108, 8);
  writeOctal(block, 0, 116, 8);
  if (size <= OCTAL_SIZE_MAX) writeOctal(block, size, 124, 12);
  else {
    block[124] = 0x80;
    block.writeBigUInt64BE(BigInt(size), 128);
  }
  writeOctal(block, Math.floor(mtime / 1000), 136, 12);
  block.write('0', 156, 1, 'ascii');
  block.write('ustar\0', 257, 6, 'ascii');
  block.write('00', 263, 2, 'ascii');
  block.write('        ', 148, 8, 'ascii');
  const sum = block.reduce((n, b) => n + b, 0);
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return block;
}

/** The directory's regular files as one tar stream, in name order. */
export function tarDirectory(dir: string): Readable {
  async function* entries(): AsyncGenerator<Buffer> {
    const names = (await readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => e.name)
      .sort();
    for (const name of names) {
      if (!SAFE_NAME.test(name)) throw new Error(`unexpected file ${name} in the dump directory`);
      const path = join(dir, name);
      const { size, mtimeMs } = await stat(path);
      yield tarHeader(name, size, mtimeMs);
      let read = 0;
      for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 })) {
        read += (chunk as Buffer).length;
        yield chunk as Buffer;
      }
      if (read !== size) throw new Error(`${name} changed while it was archived`);
      if (size % BLOCK) yield Buffer.alloc(BLOCK - (size % BLOCK));
    }
    yield Buffer.alloc(2 * BLOCK);
  }
  return Readable.from(entries(), { objectMode: false });
}

function readSize(h: Buffer): number {
  if ((h[124]! & 0x80) !== 0) return Number(h.readBigUInt64BE(128));
  return Number.parseInt(h.toString('ascii', 124, 136).replace(/\0.*$/s, '').trim() || '0', 8);
}

function checksumOk(h: Buffer): boolean {
  const stored = Number.parseInt(h.toString('ascii', 148, 156).replace(/\0.*$/s, '').trim(), 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
  return sum === stored;
}

/**
 * Writes the files of a tar stream into `dir` (which must exist) and returns their names. Refuses anything but
 * plain files with pg_dump-like names, so an altered archive cannot write outside `dir`; a stream that ends before
 * the end-of-archive blocks is reported as truncated.
 */
export async function extractTar(source: AsyncIterable<Buffer>, dir: string): Promise<string[]> {
  const names: string[] = [];
  let buf: Buffer = Buffer.alloc(0);
  let file: ReturnType<typeof createWriteStream> | undefined;
  let remaining = 0;
  let padding = 0;
  let ended = false;
  const closeFile = async () => {
    file?.end();
    if (file) await finished(file);
    file = undefined;
  };
  for await (const chunk of source) {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    while (buf.length) {
      if (file) {
        const part = buf.subarray(0, Math.min(remaining, buf.length));
        buf = buf.subarray(part.length);
        remaining -= part.length;
        if (!file.write(part)) await new Promise<void>((resolve) => file!.once('drain', () => resolve()));
        if (remaining === 0) await closeFile();
        continue;
      }
      if (padding) {
        const n = Math.min(padding, buf.length);
        buf = buf.subarray(n);
        padding -= n;
        continue;
      }
      if (ended) {
        buf = Buffer.alloc(0);
        break;
      }
      if (buf.length < BLOCK) break;
      const h = buf.subarray(0, BLOCK);
      buf = buf.subarray(BLOCK);
      if (h.every((b) => b === 0)) {
        ended = true;
        continue;
      }
      if (!checksumOk(h)) throw new Error('the archive is corrupt: a tar header checksum does not match');
      const name = h.toString('utf8', 0, 100).replace(/\0.*$/s, '');
      const type = String.fromCharCode(h[156]!);
      if ((type !== '0' && type !== '\0') || !SAFE_NAME.test(name))
        // The name is the altered archive's: shown with any escape sequence in it as \xNN.
        throw new Error(`the archive holds an unexpected entry '${printable(name.slice(0, 100))}'`);
      const size = readSize(h);
      names.push(name);
      file = createWriteStream(join(dir, name));
      remaining = size;
      padding = size % BLOCK ? BLOCK - (size % BLOCK) : 0;
      if (size === 0) await closeFile();
    }
  }
  if (file || remaining || !ended) {
    file?.destroy();
    throw new Error('the archive ends early: it is truncated');
  }
  return names;
}
