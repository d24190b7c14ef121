// Bundles the built CLI: dist/main.js and the entries it starts as threads or processes become esbuild bundles, with
// the code they share in dist/chunks/. Why: Node's ESM loader costs ~0.2 ms a module to resolve, read and link, and a
// command loaded ~250 of them (zod alone is 95), ~45 ms of every command's start-up. The per-module files tsc wrote
// stay beside the bundles: they are the library (dist/index.js) and the bases the bundles' file URLs point at.
//
// `import.meta.url` keeps its meaning: in each module it is rewritten to the URL that module had in dist/, computed
// from the URL of whichever output file the module ends up in (a placeholder, replaced once outputs are known). So
// `new URL('./worker.js', import.meta.url)` and `new URL('../package.json', import.meta.url)` resolve as before.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');

/** What a user or opsbook itself runs: the CLI, its worker threads and the local provider's supervisor process. */
const ENTRIES = [
  'main',
  'migrations/lint/worker',
  'checks/secrets/worker',
  'store/sqlite-worker',
  'providers/local/supervisor-main',
];

/**
 * Packages inlined: small ESM ones that commands load at start. The rest stay imports of node_modules, loaded only
 * by the commands that use them (drivers, providers, the server) and left as their authors ship them.
 */
const INLINE = new Set(['croner']);

const PLACEHOLDER = '__OPSBOOK_DIST_FROM_OUTPUT__';

/**
 * zod's `z` namespace re-exports every one of its 64 locales (`z.locales`, `z.core.locales`): two thirds of the
 * 0.75 MB that every config read without the parse cache compiled. opsbook sets no locale (it shows its own messages),
 * and zod's schemas import their default, English, from `locales/en.js`, not through this index. So in the vendored
 * copy the index is an empty namespace.
 */
const noZodLocales = {
  name: 'no-zod-locales',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.c?js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/](classic|core)$/.test(args.resolveDir)
        ? { path: 'zod-locales', namespace: 'no-zod-locales' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'no-zod-locales' }, () => ({ contents: 'export {};', loader: 'js' }));
  },
};

const externalPackages = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:')) return { external: true };
      const name = args.path.startsWith('@')
        ? args.path.split('/').slice(0, 2).join('/')
        : args.path.split('/')[0];
      return INLINE.has(name) ? undefined : { external: true };
    });
  },
};

/**
 * Our modules do nothing on import that another module relies on (no registration, no patching): marked so, esbuild
 * leaves out a module none of whose exports a bundle uses, even if its top level calls functions. This is what keeps
 * zod out of a command whose config comes from the cache (config/index.js re-exports the schema, which builds zod
 * objects at its top level). The e2e tests run the bundles.
 */
const ownModulesArePure = {
  name: 'own-modules-are-pure',
  setup(b) {
    b.onResolve({ filter: /^\./ }, (args) => {
      const path = join(args.resolveDir, args.path);
      return path.startsWith(dist) ? { path, sideEffects: false } : undefined;
    });
  },
};

/**
 * zod is not inlined: the bundles take it from dist/vendor/zod.cjs through src/vendor/, which loads it with the V8
 * code cache the build writes (scripts/code-cache.mjs). opsbook imports only `z` from it.
 */
const vendoredZod = {
  name: 'vendored-zod',
  setup(b) {
    b.onResolve({ filter: /^zod$/ }, (args) =>
      args.importer.startsWith(dist) ? { path: 'zod', namespace: 'vendored-zod' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'vendored-zod' }, () => ({
      contents: `import { requireVendored } from ${JSON.stringify(join(dist, 'vendor', 'index.js'))};\nexport const z = requireVendored('zod').z;\n`,
      loader: 'js',
      resolveDir: dist,
    }));
  },
};

const keepModuleUrls = {
  name: 'keep-module-urls',
  setup(b) {
    b.onLoad({ filter: /\.js$/ }, async (args) => {
      if (!args.path.startsWith(dist)) return undefined;
      const { readFile } = await import('node:fs/promises');
      const code = await readFile(args.path, 'utf8');
      if (!code.includes('import.meta.url')) return { contents: code, loader: 'js' };
      const own = `./${relative(dist, args.path).split('\\').join('/')}`;
      const url = `new URL(${JSON.stringify(own)}, new URL(${JSON.stringify(PLACEHOLDER)}, import.meta.url)).href`;
      return { contents: code.replaceAll('import.meta.url', url), loader: 'js' };
    });
  },
};

// The inputs are tsc's per-module files: run on its own output a second time, it would bundle the bundles.
if (existsSync(join(dist, 'chunks'))) {
  console.error('dist/ is already bundled: run `npm run build`, which empties it first');
  process.exit(1);
}

const result = await build({
  absWorkingDir: root,
  entryPoints: ENTRIES.map((e) => ({ in: join(dist, `${e}.js`), out: e })),
  outdir: dist,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  write: false,
  allowOverwrite: true,
  metafile: true,
  logLevel: 'warning',
  plugins: [vendoredZod, externalPackages, ownModulesArePure, keepModuleUrls],
});

// yaml and zod as one CommonJS file each in dist/vendor/, loaded by src/vendor/ with V8's code cache: yaml's callers
// are synchronous, so it cannot be a chunk, and loading the package's 60 modules took three times as long.
for (const name of ['yaml', 'zod']) {
  await build({
    absWorkingDir: root,
    entryPoints: [createRequire(import.meta.url).resolve(name)],
    outfile: join(dist, 'vendor', `${name}.cjs`),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    plugins: [noZodLocales],
  });
}

for (const file of result.outputFiles) {
  let toDist = relative(dirname(file.path), dist).split('\\').join('/');
  toDist = toDist === '' ? './' : `${toDist}/`;
  mkdirSync(dirname(file.path), { recursive: true });
  writeFileSync(file.path, file.text.replaceAll(PLACEHOLDER, toDist));
}

// Which dist/ modules each output holds: the start-up test maps the files a command loaded back to modules with it.
// Kept outside dist/ so that it is not published.
const metaDir = join(root, '.build');
mkdirSync(metaDir, { recursive: true });
const outputs = Object.fromEntries(
  Object.entries(result.metafile.outputs).map(([out, { inputs }]) => [
    relative(dist, join(root, out)),
    // A module left out by tree shaking is listed with 0 bytes: it is not in the output.
    Object.entries(inputs)
      .filter(([, { bytesInOutput }]) => bytesInOutput > 0)
      .map(([input]) => relative(root, join(root, input))),
  ]),
);
writeFileSync(join(metaDir, 'bundle-outputs.json'), `${JSON.stringify(outputs, null, 1)}\n`);
