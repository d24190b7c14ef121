import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const TEST_ONLY = /fake-|test-support|(^|\/)test\/|corpus|\.test\.|\.contract\./;

/** The files `npm pack` would publish, from the built dist/. */
function packedFiles(): string[] {
  const [pack] = JSON.parse(
    execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' }),
  ) as { files: { path: string }[] }[];
  return pack!.files.map((f) => f.path);
}

/**
 * Relative module specifiers of a built file, read by the TypeScript parser (so comments do not count): static and
 * dynamic imports, re-exports, and `new URL('./x.js', import.meta.url)` (worker entries, child scripts).
 */
function relativeSpecifiers(file: string, code: string): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    )
      found.push(node.moduleSpecifier.text);
    const isDynamicImport = ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword;
    const isUrl =
      ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'URL';
    if ((isDynamicImport || isUrl) && node.arguments?.[0] && ts.isStringLiteralLike(node.arguments[0]))
      found.push(node.arguments[0].text);
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(file, code, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS));
  return found.filter((s) => s.startsWith('./') || s.startsWith('../'));
}

describe('the published package', () => {
  let files: string[];
  beforeAll(() => {
    if (!existsSync(join(root, 'dist', 'main.js')))
      throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
    files = packedFiles();
  });

  it('ships the built CLI and library, and nothing test-only: no fakes, test support, corpus or tests', () => {
    expect(files).toContain('dist/main.js');
    expect(files).toContain('dist/index.js');
    expect(files.filter((f) => TEST_ONLY.test(f))).toEqual([]);
  });

  it('has no shipped file importing a file that is not shipped (a test helper, a fake)', () => {
    const shipped = new Set(files);
    const dangling: string[] = [];
    let imports = 0;
    for (const file of files.filter((f) => /\.m?js$/.test(f))) {
      for (const spec of relativeSpecifiers(file, readFileSync(join(root, file), 'utf8'))) {
        imports++;
        const target = normalize(join(dirname(file), spec));
        // `new URL('../package.json', ...)` and folders ('./') resolve to the package itself.
        if (spec.endsWith('/') || shipped.has(target)) continue;
        dangling.push(`${file} -> ${spec}`);
      }
    }
    expect(imports).toBeGreaterThan(100);
    expect(dangling).toEqual([]);
  });
});
