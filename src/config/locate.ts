/** Maps a path into the config (services.api.health[0].path) to its file:line:col in the YAML source. */
import type { Document, LineCounter, Node } from 'yaml';
import type { Location } from '../diagnostics/index.js';
import { yamlModule } from './yaml-lazy.js';

export type ConfigPath = readonly PropertyKey[];
/** `key`: point at the key of the last segment rather than its value (unknown keys, missing values). */
export type Locator = (path: ConfigPath, options?: { key?: boolean }) => Location;

export function formatPath(path: ConfigPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out;
}

/** For configs without a source map (opsbook.config.ts): the file and the path, no line. */
export function pathOnlyLocator(file: string): Locator {
  return (path) => ({ file, path: formatPath(path) || undefined });
}

export function yamlLocator(doc: Document, lines: LineCounter, file: string): Locator {
  const { isMap, isScalar, isSeq } = yamlModule();
  const at = (offset: number) => {
    const pos = lines.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  return (path, options = {}) => {
    let node: unknown = doc.contents;
    let keyNode: Node | undefined;
    let found = node as Node | undefined;
    for (const [i, seg] of path.entries()) {
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find(
          (p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(seg),
        );
        if (!pair) break;
        keyNode = pair.key as Node;
        node = pair.value;
        found = options.key && last ? keyNode : ((pair.value as Node | null) ?? keyNode);
      } else if (isSeq(node) && typeof seg === 'number' && node.items[seg] !== undefined) {
        node = node.items[seg];
        found = node as Node;
      } else break;
    }
    const range = found?.range;
    return { file, ...(range ? at(range[0]) : {}), path: formatPath(path) || undefined };
  };
}
