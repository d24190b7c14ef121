import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { extractTar, tarDirectory, tarHeader } from './tar.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'opsbook-tar-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Feeds `bytes` in awkward chunk sizes, as a network stream would. */
function chunked(bytes: Buffer, size = 700): AsyncIterable<Buffer> {
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) parts.push(bytes.subarray(i, i + size));
  return Readable.from(parts);
}

describe('tar for directory-format dumps', () => {
  it('round-trips a pg_dump-like directory, and GNU tar reads what it writes', async () => {
    const src = join(root, 'dump');
    await mkdir(src);
    const files: Record<string, Buffer> = {
      'toc.dat': Buffer.from('toc'),
      '3456.dat.gz': Buffer.alloc(70_001, 7),
      '3457.dat.gz': Buffer.alloc(0),
      '3458.dat.gz': Buffer.alloc(1024, 1),
    };
    for (const [name, body] of Object.entries(files)) await writeFile(join(src, name), body);
    const tar = await collect(tarDirectory(src));
    expect(tar.length % 512).toBe(0);
    await writeFile(join(root, 'x.tar'), tar);
    expect(
      execFileSync('tar', ['-tf', join(root, 'x.tar')], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .sort(),
    ).toEqual(Object.keys(files).sort());
    const out = join(root, 'out');
    await mkdir(out);
    expect((await extractTar(chunked(tar), out)).sort()).toEqual(Object.keys(files).sort());
    for (const [name, body] of Object.entries(files)) expect(await readFile(join(out, name))).toEqual(body);
  });

  it('reports a truncated archive instead of restoring part of it', async () => {
    const src = join(root, 'dump');
    await mkdir(src);
    await writeFile(join(src, 'toc.dat'), Buffer.alloc(5000, 3));
    const tar = await collect(tarDirectory(src));
    const out = join(root, 'out');
    await mkdir(out);
    await expect(extractTar(chunked(tar.subarray(0, 3000)), out)).rejects.toThrow(/truncated/);
    // Cut at a block boundary after the data: the end-of-archive blocks are missing.
    await expect(extractTar(chunked(tar.subarray(0, 512 + 5120)), out)).rejects.toThrow(/truncated/);
  });

  it('refuses entries that could write outside the directory, and corrupt headers', async () => {
    const out = join(root, 'out');
    await mkdir(out);
    const evil = Buffer.concat([tarHeader('../evil', 3, 0), Buffer.alloc(512), Buffer.alloc(1024)]);
    await expect(extractTar(chunked(evil), out)).rejects.toThrow(/unexpected entry '\.\.\/evil'/);
    const titled = Buffer.concat([
      tarHeader('x\x1b]0;owned\x07', 3, 0),
      Buffer.alloc(512),
      Buffer.alloc(1024),
    ]);
    await expect(extractTar(chunked(titled), out)).rejects.toThrow("unexpected entry 'x\\x1b]0;owned\\x07'");
    const header = tarHeader('toc.dat', 3, 0);
    header[0] = 'x'.charCodeAt(0);
    await expect(extractTar(chunked(Buffer.concat([header, Buffer.alloc(1536)])), out)).rejects.toThrow(
      /checksum/,
    );
    expect(await readdir(out)).toEqual([]);
  });

  it('encodes sizes past the 8 GB octal limit in base-256, as GNU tar does', () => {
    const h = tarHeader('big.dat.gz', 9 * 1024 ** 3, 0);
    expect(h[124]).toBe(0x80);
    expect(Number(h.readBigUInt64BE(128))).toBe(9 * 1024 ** 3);
  });
});
