/**
 * V8's compilation hints (a custom section read under `--experimental-wasm-compilation-hints`) for the parser's WASM.
 *
 * By default V8 compiles a WASM function on its first call, on the calling thread. The parser's first parse calls
 * ~70 functions, two of them 100 KB and 80 KB of code, and compiling them is ~35 ms of a one-file lint on the main
 * thread. A hint marks those functions eager: `WebAssembly.compile` compiles them on V8's background threads while
 * the main thread loads the config, and every other function stays lazy. The build finds which functions a lint calls
 * (scripts/parser-hints.mjs) and writes the hinted copy to dist/vendor/. Without the flag V8 skips the section, like
 * any custom section, so the hinted module is the same module to every other reader.
 */

/** V8's hint byte: strategy in bits 0-1 (1 lazy, 2 eager), baseline tier in bits 2-3 (1 Liftoff), top tier 4-5. */
const LAZY = 1;
const EAGER_LIFTOFF = 2 | (1 << 2);

const SECTION = { import: 2, function: 3, code: 10 } as const;

/**
 * `wasm` with a compilation hints section: the functions numbered `eager` (as V8 numbers them, imports first, the
 * numbers `--trace-wasm-compilation-times` prints) compile eagerly with Liftoff, the rest lazily. V8 reads the section
 * only between the function and the code sections, with one hint per function the module defines.
 */
export function withCompilationHints(wasm: Uint8Array, eager: Iterable<number>): Buffer {
  const { importedFunctions, definedFunctions, codeSectionAt } = layout(wasm);
  const hints = Buffer.alloc(definedFunctions, LAZY);
  for (const index of eager) {
    const defined = index - importedFunctions;
    if (!Number.isInteger(defined) || defined < 0 || defined >= definedFunctions)
      throw new Error(
        `function ${index} is not defined in this module (${definedFunctions} from ${importedFunctions})`,
      );
    hints[defined] = EAGER_LIFTOFF;
  }
  const name = Buffer.from('compilationHints');
  const body = Buffer.concat([leb128(name.length), name, leb128(definedFunctions), hints]);
  const section = Buffer.concat([Buffer.of(0), leb128(body.length), body]);
  return Buffer.concat([wasm.subarray(0, codeSectionAt), section, wasm.subarray(codeSectionAt)]);
}

/** Where the code section starts and how many functions the module imports and defines. */
function layout(wasm: Uint8Array): {
  importedFunctions: number;
  definedFunctions: number;
  codeSectionAt: number;
} {
  const r = reader(wasm, 8);
  let importedFunctions = 0;
  let definedFunctions = 0;
  while (r.at() < wasm.length) {
    const start = r.at();
    const id = r.byte();
    const end = r.u32() + r.at();
    if (id === SECTION.code) return { importedFunctions, definedFunctions, codeSectionAt: start };
    if (id === SECTION.function) definedFunctions = r.u32();
    if (id === SECTION.import) importedFunctions = countFunctionImports(r);
    r.seek(end);
  }
  throw new Error('not a WASM module with code');
}

function countFunctionImports(r: Reader): number {
  let functions = 0;
  for (let n = r.u32(); n > 0; n--) {
    r.skip(r.u32()); // module name
    r.skip(r.u32()); // field name
    const kind = r.byte();
    if (kind === 0) {
      functions++;
      r.u32(); // type index
    } else if (kind === 1) {
      r.byte(); // element type
      limits(r);
    } else if (kind === 2) limits(r);
    else if (kind === 3)
      r.skip(2); // value type, mutability
    else if (kind === 4) {
      r.byte(); // attribute
      r.u32(); // type index
    } else throw new Error(`unknown import kind ${kind}`);
  }
  return functions;
}

function limits(r: Reader): void {
  const flags = r.byte();
  r.u32();
  if (flags & 1) r.u32();
}

type Reader = ReturnType<typeof reader>;

function reader(bytes: Uint8Array, start: number) {
  let p = start;
  return {
    at: () => p,
    seek: (to: number) => {
      p = to;
    },
    skip: (n: number) => {
      p += n;
    },
    byte: () => bytes[p++] ?? 0,
    u32(): number {
      let value = 0;
      for (let shift = 0; ; shift += 7) {
        const b = bytes[p++] ?? 0;
        value += (b & 0x7f) * 2 ** shift;
        if (!(b & 0x80)) return value;
      }
    },
  };
}

function leb128(value: number): Buffer {
  const out: number[] = [];
  do {
    let b = value & 0x7f;
    value = Math.floor(value / 128);
    if (value) b |= 0x80;
    out.push(b);
  } while (value);
  return Buffer.from(out);
}
