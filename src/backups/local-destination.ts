/** A directory on this machine (or a mounted volume). Partial files are renamed into place only when complete. */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { finished } from 'node:stream/promises';
import type { Destination } from './destination.js';

const exists = (path: string) =>
  stat(path).then(
    (s) => s,
    () => undefined,
  );

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(path)));
    else out.push(path);
  }
  return out;
}

export function localDestination(root: string): Destination {
  const at = (key: string) => join(root, ...key.split('/'));
  return {
    describe: root,
    async create(key) {
      const path = at(key);
      const partial = `${path}.partial`;
      await mkdir(dirname(path), { recursive: true });
      const stream = createWriteStream(partial);
      return {
        stream,
        async commit() {
          if (!stream.writableFinished) await finished(stream);
          await rename(partial, path);
        },
        async abort() {
          stream.destroy();
          await rm(partial, { force: true });
        },
      };
    },
    async read(key) {
      return (await exists(at(key))) ? createReadStream(at(key)) : undefined;
    },
    async size(key) {
      return (await exists(at(key)))?.size;
    },
    async putText(key, text) {
      await mkdir(dirname(at(key)), { recursive: true });
      await writeFile(`${at(key)}.partial`, text);
      await rename(`${at(key)}.partial`, at(key));
    },
    async getText(key) {
      return readFile(at(key), 'utf8').catch(() => undefined);
    },
    async list(prefix) {
      return (await walk(root))
        .filter((p) => !p.endsWith('.partial'))
        .map((p) => relative(root, p).split(sep).join('/'))
        .filter((k) => k.startsWith(prefix))
        .sort();
    },
    async remove(key) {
      await rm(at(key), { force: true });
    },
    async partials(prefix) {
      return (await walk(root))
        .filter((p) => p.endsWith('.partial'))
        .map((p) => relative(root, p).split(sep).join('/'))
        .filter((k) => k.startsWith(prefix))
        .sort();
    },
  };
}
