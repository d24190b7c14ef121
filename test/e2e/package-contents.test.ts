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
 * Relative module targets of a built file, read by the TypeScript parser (so comments do not count), as paths in the
 * package: static and dynamic imports, re-exports, and file URLs built from `import.meta.url` — `new URL('./x.js',
 * import.meta.url)` (worker entries, child scripts) and the bundles' nested form (scripts/bundle.mjs), where a
 * module's own URL is `new URL('./its/path.js', new URL('../', import.meta.url)).href`.
 */
function relativeTargets(file: string, code: string): string[] {
  const found: string[] = [];
  const isImportMetaUrl = (node: ts.Node) =>
    ts.isPropertyAccessExpression(node) &&
    node.name.text === 'url' &&
    ts.isMetaProperty(node.expression) &&
    node.expression.name.text === 'meta';
  /** The package path a URL expression stands for, when it is built from import.meta.url and literals. */
  const urlOf = (node: ts.Node): string | undefined => {
    if (isImportMetaUrl(node)) return file;
    if (ts.isPropertyAccessExpression(node) && node.name.text === 'href') return urlOf(node.expression);
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'URL') {
      const [spec, base] = node.arguments ?? [];
      const from = base && urlOf(base);
      if (!spec || !ts.isStringLiteralLike(spec) || from === undefined) return undefined;
      return from.endsWith('/') ? join(from, spec.text) : join(dirname(from), spec.text);
    }
    return undefined;
  };
  const visit = (node: ts.Node) => {
    const relative = (s: string) => s.startsWith('./') || s.startsWith('../');
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier) &&
      relative(node.moduleSpecifier.text)
    )
      found.push(join(dirname(file), node.moduleSpecifier.text));
    const isDynamicImport = ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword;
    const spec = isDynamicImport ? node.arguments[0] : undefined;
    if (spec && ts.isStringLiteralLike(spec) && relative(spec.text))
      found.push(join(dirname(file), spec.text));
    const url = ts.isNewExpression(node) ? urlOf(node) : undefined;
    // Folders ('./', '../') are bases, not files.
    if (url !== undefined && !url.endsWith('/')) found.push(url);
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(file, code, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS));
  return found.map((p) => normalize(p));
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
      for (const target of relativeTargets(file, readFileSync(join(root, file), 'utf8'))) {
        imports++;
        if (!shipped.has(target)) dangling.push(`${file} -> ${target}`);
      }
    }
    expect(imports).toBeGreaterThan(100);
    expect(dangling).toEqual([]);
  });
});
