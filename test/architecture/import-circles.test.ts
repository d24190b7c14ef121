import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { findCircles, type ImportGraph, readImportGraph } from '../support/import-graph.js';

const src = fileURLToPath(new URL('../../src', import.meta.url));

describe('import circles', () => {
  it('finds none between the files of src/ (type imports count)', () => {
    const graph = readImportGraph(src);
    // A walk that saw nothing would pass vacuously.
    expect(graph.size).toBeGreaterThan(500);
    expect(graph.get('main.ts')?.length).toBeGreaterThan(0);
    expect(findCircles(graph).map((c) => c.join(' > '))).toEqual([]);
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
