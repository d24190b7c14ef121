import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withCompilationHints } from './wasm-hints.js';

const require = createRequire(import.meta.url);
const wasm = readFileSync(require.resolve('libpg-query/wasm/libpg-query.wasm'));
const dir = mkdtempSync(join(tmpdir(), 'opsbook-wasm-hints-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const { Module } = (globalThis as unknown as { WebAssembly: { Module: WasmModuleApi } }).WebAssembly;
interface WasmModuleApi {
  new (bytes: Uint8Array): object;
  imports(module: object): { kind: string }[];
}
/** V8 numbers the imported functions first: the module's own functions start here. */
const imported = Module.imports(new Module(wasm)).filter((i) => i.kind === 'function').length;

/** Compiles `bytes` in a fresh Node under `flags` and calls nothing: the function numbers V8 compiled, in order. */
function compiledBy(
  bytes: Buffer,
  flags: string[],
): { status: number | null; compiled: number[]; stderr: string } {
  const file = join(dir, `m${Math.random().toString(36).slice(2)}.wasm`);
  writeFileSync(file, bytes);
  const run = spawnSync(
    process.execPath,
    [
      ...flags,
      '--trace-wasm-compilation-times',
      '-e',
      `WebAssembly.compile(require('fs').readFileSync(${JSON.stringify(file)})).catch((e) => { console.error(e.message); process.exit(3); })`,
    ],
    { encoding: 'utf8' },
  );
  const compiled = [...run.stdout.matchAll(/^Compiled function \S+#(\d+) using Liftoff/gm)].map((m) =>
    Number(m[1]),
  );
  return { status: run.status, compiled, stderr: run.stderr };
}

describe('withCompilationHints', () => {
  const HINTS = ['--liftoff-only', '--experimental-wasm-compilation-hints'];

  it('makes V8 compile exactly the named functions when the module is compiled, before any is called', () => {
    const eager = [imported + 3, imported + 100];
    const r = compiledBy(withCompilationHints(wasm, eager), HINTS);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.compiled.sort((a, b) => a - b)).toEqual(eager);
  });

  it('without hints, or without the flag, nothing is compiled before it is called', () => {
    expect(compiledBy(wasm, HINTS)).toMatchObject({ status: 0, compiled: [] });
    expect(compiledBy(withCompilationHints(wasm, [imported + 3]), ['--liftoff-only'])).toMatchObject({
      status: 0,
      compiled: [],
    });
  });

  it('refuses a number that is not a function the module defines', () => {
    expect(imported).toBeGreaterThan(0);
    expect(() => withCompilationHints(wasm, [imported - 1])).toThrow(
      new RegExp(`function ${imported - 1} is not defined`),
    );
    expect(() => withCompilationHints(wasm, [1e6])).toThrow(/not defined/);
    expect(() => withCompilationHints(wasm, [imported])).not.toThrow();
  });
});
