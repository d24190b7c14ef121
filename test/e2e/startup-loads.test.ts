import { spawnSync } from 'node:child_process';
import { closeSync, cpSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist', 'main.js');
const hook = join(root, 'test', 'support', 'startup', 'record-loads.mjs');
// The CLI is bundled (scripts/bundle.mjs): which dist/ modules each bundle output holds.
const bundleOutputs = join(root, '.build', 'bundle-outputs.json');

/** What start-up must not pay for in commands that never deploy, probe, notify or reach a database. */
const HEAVY = [
  /\/node_modules\/(pg|pg-[a-z]+|nodemailer|undici|hono|@aws-sdk|node-sqlite3-wasm)\//,
  /\/dist\/(providers|probes|notify|deploy\/run-deploy|health)\//,
];

describe('start-up of commands that need no driver', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'opsbook-e2e-loads-'));
    cpSync(join(root, 'examples', 'demo'), dir, {
      recursive: true,
      filter: (p) => !/\.data|\.opsbook|\.test\.ts$/.test(p),
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The modules a command loaded; without `cacheHome` the config cache is off. */
  const loadedBy = (args: string[], name: string, cacheHome?: string, cwd = dir): string[] => {
    const record = join(dir, `loads-${name}.txt`);
    const cache = cacheHome ? { XDG_CACHE_HOME: cacheHome } : { OPSBOOK_NO_CACHE: '1' };
    const run = spawnSync(process.execPath, ['--import', hook, cli, ...args], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, OPSBOOK_RECORD_LOADS: record, OPSBOOK_VENDOR_CACHE: 'report', ...cache },
    });
    expect(run.stderr).not.toContain('hit a bug');
    const outputs = JSON.parse(readFileSync(bundleOutputs, 'utf8')) as Record<string, string[]>;
    // dist/vendor/ files are run by src/vendor/ through node:vm, which the loader hooks do not see: the CLI lists them.
    const vendored = Object.keys(JSON.parse(run.stderr.match(/^opsbook-vendor-cache (.*)$/m)?.[1] ?? 'null'));
    // A loaded bundle output stands for the modules it holds; anything else (node_modules) is itself.
    return readFileSync(record, 'utf8')
      .split('\n')
      .filter(Boolean)
      .flatMap((url) => {
        const inDist = url.match(/\/dist\/(.+)$/)?.[1];
        const held = inDist ? outputs[inDist] : undefined;
        return held ? held.map((module) => `file://${root}${module}`) : [url];
      })
      .concat(vendored.map((file) => `file://${file}`));
  };

  it.each([
    ['validate', ['validate'], 'commands/validate.js'],
    ['status', ['status', '--offline'], 'app/status.js'],
    ['lint', ['migrate', 'lint', 'migrations/001_create_notes.sql'], 'migrations/lint/engine.js'],
  ])('%s loads no database driver, provider, probe or notifier', (name, args, own) => {
    const loaded = loadedBy(args, name);
    // The recording saw the command itself: an empty list would pass vacuously.
    expect(loaded.some((url) => url.endsWith(`/dist/${own}`))).toBe(true);
    expect(loaded.filter((url) => HEAVY.some((re) => re.test(url)))).toEqual([]);
  });

  it('deploy loads pg and nodemailer only when a check or a channel uses them (the demo has neither)', () => {
    const loaded = loadedBy(['deploy', '--dry-run'], 'deploy');
    expect(loaded.some((url) => url.endsWith('/dist/app/deploy.js'))).toBe(true);
    expect(loaded.filter((url) => /\/node_modules\/(pg|pg-[a-z]+|nodemailer)\//.test(url))).toEqual([]);
  });

  const ZOD = /\/node_modules\/zod\/|\/dist\/vendor\/zod\.cjs$/;

  it('a config validated before skips zod: lint, validate and status load neither it nor the schema', () => {
    const cacheHome = join(dir, 'cache-clean');
    // The first run validates (and loads zod); it fills the cache.
    expect(loadedBy(['validate'], 'fill', cacheHome).some((url) => ZOD.test(url))).toBe(true);
    for (const [name, args] of [
      ['validate', ['validate']],
      ['status', ['status', '--offline']],
      ['lint', ['migrate', 'lint', 'migrations/001_create_notes.sql']],
    ] as const) {
      const loaded = loadedBy([...args], `cached-${name}`, cacheHome);
      expect(loaded.some((url) => url.endsWith('/dist/config/load.js'))).toBe(true);
      expect(loaded.filter((url) => ZOD.test(url) || url.endsWith('/dist/config/schema.js'))).toEqual([]);
    }
  });

  it('validating without the parse cache runs yaml and zod from dist/vendor/ with the code cache the build wrote', () => {
    const record = join(dir, 'vendor-report.txt');
    const run = spawnSync(process.execPath, [cli, 'validate'], {
      cwd: dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        OPSBOOK_NO_CACHE: '1',
        OPSBOOK_VENDOR_CACHE: 'report',
        OPSBOOK_RECORD_LOADS: record,
      },
    });
    expect(run.status).toBe(0);
    const use = JSON.parse(run.stderr.match(/^opsbook-vendor-cache (.*)$/m)?.[1] ?? '{}') as Record<
      string,
      string
    >;
    expect(Object.entries(use).sort()).toEqual([
      [join(root, 'dist', 'vendor', 'yaml.cjs'), 'used'],
      [join(root, 'dist', 'vendor', 'zod.cjs'), 'used'],
    ]);
  });

  it("a lint runs the parser's glue from dist/vendor/ with the code cache the build wrote, beside yaml and zod", () => {
    const run = spawnSync(process.execPath, [cli, 'migrate', 'lint', 'migrations/001_create_notes.sql'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, OPSBOOK_NO_CACHE: '1', OPSBOOK_VENDOR_CACHE: 'report' },
    });
    expect(run.status).toBe(0);
    const use = JSON.parse(run.stderr.match(/^opsbook-vendor-cache (.*)$/m)?.[1] ?? '{}') as Record<
      string,
      string
    >;
    expect(Object.entries(use).sort()).toEqual([
      [join(root, 'dist', 'vendor', 'libpg-query', 'libpg-query.cjs'), 'used'],
      [join(root, 'dist', 'vendor', 'yaml.cjs'), 'used'],
      [join(root, 'dist', 'vendor', 'zod.cjs'), 'used'],
    ]);
  });

  it('the vendored zod holds its English messages only, not its 64 locales', () => {
    const zod = readFileSync(join(root, 'dist', 'vendor', 'zod.cjs'), 'utf8');
    // esbuild names each module it bundles in a comment.
    const locales = [...zod.matchAll(/^\/\/ node_modules\/zod\/v4\/locales\/(\w+)\.c?js$/gm)].map(
      (m) => m[1],
    );
    expect(locales).toEqual(['en']);
  });

  it('a config with on-call schedules is validated on every run: its gap check depends on today', () => {
    const cacheHome = join(dir, 'cache-schedules');
    const withSchedule = mkdtempSync(join(tmpdir(), 'opsbook-e2e-schedule-'));
    cpSync(join(root, 'examples', 'demo'), withSchedule, {
      recursive: true,
      filter: (p) => !/\.data|\.opsbook|\.test\.ts$/.test(p),
    });
    const file = join(withSchedule, 'opsbook.yaml');
    const schedule = [
      'incidents:',
      '  contacts:',
      '    ana:',
      '      name: Ana',
      '      channel: console',
      '  schedules:',
      '    primary:',
      '      timeZone: UTC',
      '      layers:',
      '        - rotation: weekly',
      "          start: '2020-01-06'",
      '          participants: [ana]',
    ].join('\n');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^incidents:$/m, schedule));
    for (const run of ['first', 'second']) {
      const loaded = loadedBy(['validate'], `schedule-${run}`, cacheHome, withSchedule);
      // Validated both times (a clean config: nothing else keeps it out of the cache).
      expect(loaded.some((url) => ZOD.test(url))).toBe(true);
    }
    rmSync(withSchedule, { recursive: true, force: true });
  });

  it("a lint compiles the parser's functions it calls before its first parse, from the build's hinted copy", () => {
    // The build wrote the copy with the functions a lint of the lint corpus called marked eager (wasm-hints.ts).
    const hinted = readFileSync(
      join(root, 'dist', 'vendor', 'libpg-query', `libpg-query.v8-${process.versions.v8}.wasm`),
    );
    const { Module } = (globalThis as unknown as { WebAssembly: { Module: WasmModuleApi } }).WebAssembly;
    const [section] = Module.customSections(new Module(hinted), 'compilationHints');
    // The section: the number of hints (LEB128), then one byte each, its low two bits 2 for eager.
    const bytes = new Uint8Array(section ?? new ArrayBuffer(0));
    const hints = bytes.subarray(bytes.findIndex((b) => !(b & 0x80)) + 1);
    const eager = hints.filter((hint) => (hint & 3) === 2).length;
    expect(eager).toBeGreaterThan(20);
    // V8 prints the trace through C's stdio, which loses its tail when the reader is a pipe: a file keeps all of it.
    const traceFile = join(dir, 'wasm-trace.txt');
    const fd = openSync(traceFile, 'w');
    const run = spawnSync(
      process.execPath,
      ['--trace-wasm-compilation-times', cli, 'migrate', 'lint', 'migrations/001_create_notes.sql'],
      { cwd: dir, stdio: ['ignore', fd, 'pipe'], env: { ...process.env, OPSBOOK_NO_CACHE: '1' } },
    );
    closeSync(fd);
    expect(run.status).toBe(0);
    const trace = readFileSync(traceFile, 'utf8');
    const compiled = new Set(
      [...trace.matchAll(/^Compiled function \S+#(\d+) using Liftoff/gm)].map((m) => m[1]),
    );
    // Every eager function and nothing else: a lint of one file calls fewer than the corpus did, so a lint that
    // compiled lazily (from the package's WASM, or without the flag) would list fewer, and one that called a function
    // the corpus never did would list more.
    expect(compiled.size).toBe(eager);
    expect(trace).toContain('linted 1 file');
  });
});

interface WasmModuleApi {
  new (bytes: Uint8Array): object;
  customSections(module: object, name: string): ArrayBuffer[];
}
