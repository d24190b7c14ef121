import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  findCircles,
  folderGraph,
  folderOf,
  type ImportGraph,
  readImportGraph,
} from '../support/import-graph.js';

const src = fileURLToPath(new URL('../../src', import.meta.url));

describe('import circles', () => {
  it('finds none between the files of src/ (type imports count)', () => {
    const graph = readImportGraph(src);
    // A walk that saw nothing would pass vacuously.
    expect(graph.size).toBeGreaterThan(500);
    expect(graph.get('main.ts')?.length).toBeGreaterThan(0);
    expect(findCircles(graph).map((c) => c.join(' > '))).toEqual([]);
  });

  it('finds none between the folders of src/ (tests aside: a test may use a folder above its own)', () => {
    const graph = readImportGraph(src);
    const shipped = (file: string) => !/\.(test|contract)\.ts$/.test(file);
    const folders = folderGraph(graph, shipped);
    expect(folders.size).toBeGreaterThan(30);
    // Each step of a circle with one file import that makes it, so the failure says where to cut.
    const step = (from: string, to: string) => {
      const [file, targets] = [...graph].find(
        ([f, ts]) => shipped(f) && folderOf(f) === from && ts.some((t) => folderOf(t) === to),
      )!;
      return `${file} -> ${targets.find((t) => folderOf(t) === to)}`;
    };
    const circles = findCircles(folders).map((c) => c.slice(1).map((to, i) => step(c[i] as string, to)));
    expect(circles).toEqual([]);
  });

  it('reads folders from files: root files on their own, imports inside a folder ignored, tests left out', () => {
    const graph: ImportGraph = new Map([
      ['cli.ts', ['commands/types.ts']],
      ['commands/run.ts', ['commands/types.ts', 'completion/index.ts']],
      ['commands/types.ts', []],
      ['completion/index.ts', ['completion/model.ts']],
      ['completion/model.ts', []],
      ['completion/model.test.ts', ['cli.ts']],
    ]);
    const keep = (f: string) => !f.endsWith('.test.ts');
    expect(Object.fromEntries(folderGraph(graph, keep))).toEqual({
      'cli.ts': ['commands'],
      commands: ['completion'],
      completion: [],
    });
    expect(findCircles(folderGraph(graph))).toEqual([['cli.ts', 'commands', 'completion', 'cli.ts']]);
  });

  it('reports each circle once, as a shortest path through it', () => {
    const graph: ImportGraph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts', 'd.ts', 'b.ts']],
      ['d.ts', []],
      ['e.ts', ['e.ts']],
    ]);
    expect(findCircles(graph)).toEqual([
      ['a.ts', 'b.ts', 'c.ts', 'a.ts'],
      ['e.ts', 'e.ts'],
    ]);
  });

  describe('reading a tree', () => {
    let dir = '';
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('follows type-only imports, re-exports, dynamic imports and folder indexes', () => {
      dir = mkdtempSync(join(tmpdir(), 'opsbook-graph-'));
      mkdirSync(join(dir, 'sub'));
      writeFileSync(join(dir, 'a.ts'), "import type { B } from './b.js';\nimport 'node:fs';\n");
      writeFileSync(join(dir, 'b.ts'), "export * from './sub/index.js';\nexport type B = 1;\n");
      writeFileSync(join(dir, 'sub', 'index.ts'), "export const c = () => import('../a.js');\n");
      const graph = readImportGraph(dir);
      expect(Object.fromEntries(graph)).toEqual({
        'a.ts': ['b.ts'],
        'b.ts': ['sub/index.ts'],
        'sub/index.ts': ['a.ts'],
      });
      expect(findCircles(graph)).toEqual([['a.ts', 'b.ts', 'sub/index.ts', 'a.ts']]);
    });
  });
});
