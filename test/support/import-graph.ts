/**
 * The import graph of a source tree, read with the TypeScript compiler's own pre-parser (no type checking),
 * and the circles in it. Every import counts: value, `import type`, `export ... from` and `import()`,
 * because a type-only circle still ties the files' meanings together.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export type ImportGraph = Map<string, string[]>;

/** Every .ts file under `root` (tests included: they may not close a circle either) with the files it imports. */
export function readImportGraph(root: string): ImportGraph {
  const files = listTs(root);
  const known = new Set(files);
  const graph: ImportGraph = new Map();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles
      .map((i) => resolveLocal(file, i.fileName, known))
      .filter((t): t is string => t !== undefined);
    graph.set(rel(root, file), [...new Set(targets.map((t) => rel(root, t)))]);
  }
  return graph;
}

/** Each strongly connected group of two or more files (or a file importing itself), as one sample circle through it. */
export function findCircles(graph: ImportGraph): string[][] {
  const circles: string[][] = [];
  for (const group of stronglyConnected(graph)) {
    const first = group[0] as string;
    const selfLoop = graph.get(first)?.includes(first) ?? false;
    if (group.length > 1 || selfLoop) circles.push(circleThrough(graph, new Set(group), first));
  }
  return circles;
}

/** A file's folder under the root: its first path segment, or the file itself at the root (`cli.ts`, `errors.ts`). */
export const folderOf = (file: string): string => file.split('/')[0] as string;

/**
 * The graph of the root's folders: one folder imports another when one of its files (among those `keep` takes)
 * imports a file of the other. Its circles are circles between capabilities, even where no file circle exists.
 */
export function folderGraph(graph: ImportGraph, keep: (file: string) => boolean = () => true): ImportGraph {
  const folders: ImportGraph = new Map();
  const add = (folder: string) => folders.get(folder) ?? folders.set(folder, []).get(folder)!;
  for (const [file, targets] of graph) {
    if (!keep(file)) continue;
    const edges = add(folderOf(file));
    for (const target of targets) {
      const to = folderOf(target);
      add(to);
      if (to !== folderOf(file) && !edges.includes(to)) edges.push(to);
    }
  }
  return folders;
}

function listTs(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return listTs(path);
      return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
    });
}

/** A relative specifier as the source writes it (`./x.js`, `../dir/index.js`) to the .ts file it names. */
function resolveLocal(from: string, spec: string, known: Set<string>): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = resolve(dirname(from), spec);
  const candidates = [base.replace(/\.js$/, '.ts'), base, `${base}.ts`, join(base, 'index.ts')];
  return candidates.find((c) => known.has(c));
}

const rel = (root: string, file: string) => relative(root, file).split('\\').join('/');

/** Tarjan's algorithm, iterative so a deep tree cannot overflow the stack. */
function stronglyConnected(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const groups: string[][] = [];
  let next = 0;
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: { node: string; edge: number }[] = [{ node: start, edge: 0 }];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length) {
      const frame = work[work.length - 1] as { node: string; edge: number };
      const edges = graph.get(frame.node) ?? [];
      if (frame.edge < edges.length) {
        const to = edges[frame.edge++] as string;
        if (!index.has(to)) {
          index.set(to, next);
          low.set(to, next++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, edge: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const group: string[] = [];
        let member: string;
        do {
          member = stack.pop() as string;
          onStack.delete(member);
          group.push(member);
        } while (member !== frame.node);
        groups.push(group.sort());
      }
    }
  }
  return groups;
}

/** A shortest path from `start` back to itself inside the group: the circle to show in a failure message. */
function circleThrough(graph: ImportGraph, group: Set<string>, start: string): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const node = queue.shift() as string;
    for (const to of graph.get(node) ?? []) {
      if (!group.has(to)) continue;
      if (to === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(previous.get(path[0] as string) as string);
        return [...path, start];
      }
      if (!previous.has(to)) {
        previous.set(to, node);
        queue.push(to);
      }
    }
  }
  return [start];
}
