/**
 * libpg-query's WASM parser, instantiated here instead of through the package's index, for two reasons:
 * - The compiled WebAssembly.Module is kept, so lint workers instantiate it instead of compiling 1.7 MB again
 *   (a Module can be posted to a worker thread).
 * - Text goes in and JSON comes out through Buffer (native UTF-8) instead of the emscripten glue's per-byte
 *   JavaScript loops, which were a sixth of the parse time.
 * What it calls (`_wasm_parse_query_raw`, the result and error layout, the HEAP views) is what the package's own
 * index.cjs calls; the test beside this file checks that both give the same trees and errors.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { ParseResult } from 'libpg-query';
import { requireVendored, setV8Flags } from '../vendor/index.js';

/** A compiled WebAssembly.Module, opaque here (the project's TypeScript lib has no WebAssembly types). */
export interface WasmModule {
  readonly __compiledWasm: unique symbol;
}
type WasmInstance = object;
const { WebAssembly: wasmApi } = globalThis as unknown as {
  WebAssembly: {
    compile(bytes: Uint8Array): Promise<WasmModule>;
    instantiate(module: WasmModule, imports: object): Promise<WasmInstance>;
  };
};

interface EmscriptenParser {
  HEAPU8: Uint8Array;
  HEAPU32: Uint32Array;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  _wasm_parse_query_raw(query: number): number;
  _wasm_free_parse_result(result: number): void;
}

type Factory = (options: {
  instantiateWasm(imports: object, receive: (instance: WasmInstance) => void): object;
}) => Promise<EmscriptenParser>;

/** The parser rejected the SQL; `cursorPosition` is a 0-based UTF-8 byte offset, as libpg-query reports it. */
export class SqlSyntaxError extends Error {
  constructor(
    message: string,
    readonly sqlDetails: { cursorPosition: number },
  ) {
    super(message);
    this.name = 'SqlError';
  }
}

const require = createRequire(import.meta.url);

/**
 * The built CLI's copy of the package's glue and WASM, the WASM with compilation hints (wasm-hints.ts), written by the
 * build from the installed package (scripts/parser-hints.mjs): copied together, so that they always match. The hints
 * are an experimental V8 feature, so the copy is named for the V8 that built it and used only under that V8; under
 * another (or from source, in the tests) the package's own pair is loaded, without hints.
 */
const VENDORED = fileURLToPath(new URL('../vendor/libpg-query/', import.meta.url));
export const HINTED_WASM = `libpg-query.v8-${process.versions.v8}.wasm`;
const vendored = existsSync(`${VENDORED}${HINTED_WASM}`);
const PARSER_WASM = vendored
  ? `${VENDORED}${HINTED_WASM}`
  : require.resolve('libpg-query/wasm/libpg-query.wasm');

/**
 * Compiles the parser's WASM (under whatever V8 flags are set when this is called). Read synchronously: the compile
 * then starts at once on V8's threads instead of after a thread-pool round trip, however busy this thread is.
 */
export function compileParser(): Promise<WasmModule> {
  return wasmApi.compile(readFileSync(PARSER_WASM));
}

let compiled: Promise<WasmModule> | undefined;

/**
 * The parser's compiled WASM, compiled once per process.
 *
 * It runs on V8's baseline WASM compiler only. By default V8 recompiles hot WASM functions with its optimising
 * compiler, which for this 1.7 MB module costs ~0.6 s of CPU per thread in the first thousand files, more than the
 * parsing itself, while the optimised code parses no faster here (the time is in building the JSON tree). A CLI
 * process never runs long enough to earn it back. The built CLI's copy carries compilation hints: the functions a
 * parse calls compile in the background now instead of on the first parse's thread (wasm-hints.ts). The flags are
 * process-wide (worker threads included) and only read when WASM is compiled, so they are set right before. A module
 * without hints compiles as without the hints flag (lazily), so the SQLite store's WASM is not affected.
 */
export function parserModule(): Promise<WasmModule> {
  if (!compiled) {
    setV8Flags('--liftoff-only', ...(vendored ? ['--experimental-wasm-compilation-hints'] : []));
    compiled = compileParser();
  }
  return compiled;
}

export type ParseSync = (query: string) => ParseResult;

/** An instance of the parser over a compiled module; its parse is synchronous. */
export async function instantiateParser(module: WasmModule): Promise<ParseSync> {
  // The built CLI's copy (dist/vendor/libpg-query/libpg-query.cjs) loads with the code cache the build wrote for it.
  const factory = vendored
    ? requireVendored<Factory>('libpg-query/libpg-query')
    : (require('libpg-query/wasm/libpg-query.js') as Factory);
  let fail: (error: unknown) => void = () => {};
  // The glue waits for `receive` forever if instantiation fails: the race turns that into an error.
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
  });
  const wasm = await Promise.race([
    factory({
      instantiateWasm(imports, receive) {
        wasmApi.instantiate(module, imports).then(receive, fail);
        return {};
      },
    }),
    failed,
  ]);
  return (query) => parseWith(wasm, query);
}

function parseWith(wasm: EmscriptenParser, query: string): ParseResult {
  const length = Buffer.byteLength(query);
  const input = wasm._malloc(length + 1);
  let result = 0;
  try {
    // HEAP views are replaced when the memory grows, so each is read after the call that may grow it.
    const bytes = Buffer.from(wasm.HEAPU8.buffer, input, length + 1);
    bytes.write(query, 'utf8');
    bytes[length] = 0;
    result = wasm._wasm_parse_query_raw(input);
    if (!result) throw new Error('Failed to parse query: memory allocation failed');
    const words = wasm.HEAPU32;
    const tree = words[result >> 2] ?? 0;
    const error = words[(result + 8) >> 2] ?? 0;
    if (error) {
      const message = words[error >> 2] ?? 0;
      const cursor = (words[(error + 16) >> 2] ?? 0) | 0;
      throw new SqlSyntaxError(message ? cString(wasm, message) : 'Unknown error', {
        cursorPosition: cursor > 0 ? cursor - 1 : 0,
      });
    }
    if (!tree) throw new Error('No parse tree generated');
    return JSON.parse(cString(wasm, tree)) as ParseResult;
  } finally {
    wasm._free(input);
    if (result) wasm._wasm_free_parse_result(result);
  }
}

/** The NUL-terminated UTF-8 string at `pointer`. */
function cString(wasm: EmscriptenParser, pointer: number): string {
  const heap = wasm.HEAPU8;
  const end = heap.indexOf(0, pointer);
  return Buffer.from(heap.buffer, pointer, (end === -1 ? heap.length : end) - pointer).toString('utf8');
}
