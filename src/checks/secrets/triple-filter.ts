/**
 * The keyword scan's hot loop in WebAssembly: for each position of a text, whether the three bytes ending there are
 * in the bitmap of keyword beginnings. It is the scan's largest single cost (a quarter of its CPU on node_modules);
 * compiled WebAssembly runs it about a fifth faster than optimised JavaScript, and from the first byte, where each
 * new thread ran the JavaScript loop in V8's interpreter until it was optimised. The module is a few dozen bytes,
 * assembled here; the comments give each step in the text format's terms.
 */

const BITMAP = 0; // 2 MiB: one bit per 24-bit triple
const OUT = 1 << 21; // CHUNK 32-bit positions
/** Positions filtered per call, so one call's candidates always fit in OUT. */
export const CHUNK = 64 * 1024;
const TEXT = OUT + CHUNK * 4;
const PAGE = 64 * 1024;

const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) return [...out, byte];
    out.push(byte | 0x80);
  }
};
const uleb = (n: number): number[] => (n < 0x80 ? [n] : [(n & 0x7f) | 0x80, ...uleb(n >>> 7)]);
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const name = (s: string) => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];

// (func $filter (param $prime $from $to $out i32) (result i32) (local $i $t $n i32)
const [PRIME, FROM, TO, OUT_AT, I, T, N] = [0, 1, 2, 3, 4, 5, 6];
const get = (l: number) => [0x20, l];
const set = (l: number) => [0x21, l];
const tee = (l: number) => [0x22, l];
const konst = (n: number) => [0x41, ...sleb(n)];
const [ADD, SUB, AND, OR, SHL, SHR_U, GE_U, LT_U] = [0x6a, 0x6b, 0x71, 0x72, 0x74, 0x76, 0x4f, 0x49];
const LOAD8 = [0x2d, 0, 0];
const STORE32 = [0x36, 2, 0];
const [BLOCK, LOOP, IF, END, BR_IF, VOID] = [0x02, 0x03, 0x04, 0x0b, 0x0d, 0x40];
const BODY = [
  ...[1, 3, 0x7f], // three i32 locals
  ...[...get(PRIME), ...set(I)], // i = prime
  ...[BLOCK, VOID, ...get(I), ...get(TO), GE_U, BR_IF, 0], // nothing to read: done
  ...[LOOP, VOID],
  // t = ((t << 8) | mem[i]) & 0xffffff
  ...[...get(T), ...konst(8), SHL, ...get(I), ...LOAD8, OR, ...konst(0xffffff), AND, ...tee(T)],
  // if (mem[BITMAP + (t >> 3)] >> (t & 7)) & 1 and i >= from: mem32[out + 4n] = i - 2; n++
  ...[...konst(3), SHR_U, ...LOAD8, ...get(T), ...konst(7), AND, SHR_U, ...konst(1), AND, IF, VOID],
  ...[...get(I), ...get(FROM), GE_U, IF, VOID],
  ...[...get(OUT_AT), ...get(N), ...konst(2), SHL, ADD, ...get(I), ...konst(2), SUB, ...STORE32],
  ...[...get(N), ...konst(1), ADD, ...set(N), END, END],
  // while (++i < to)
  ...[...get(I), ...konst(1), ADD, ...tee(I), ...get(TO), LT_U, BR_IF, 0, END, END],
  ...[...get(N), END],
];
const MODULE = new Uint8Array([
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
  ...section(1, [1, 0x60, 4, 0x7f, 0x7f, 0x7f, 0x7f, 1, 0x7f]), // type: (i32 i32 i32 i32) -> i32
  ...section(3, [1, 0]), // one function of that type
  ...section(5, [1, 0, ...uleb(TEXT / PAGE + 1)]), // memory: bitmap, positions, a first text page
  ...section(7, [2, ...name('filter'), 0, 0, ...name('memory'), 2, 0]),
  ...section(10, [1, ...uleb(BODY.length), ...BODY]),
]);

/** The little of the WebAssembly API used here (the project's TypeScript lib has no WebAssembly types). */
interface FilterExports {
  filter(prime: number, from: number, to: number, out: number): number;
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
}
const { WebAssembly: wasm } = globalThis as unknown as {
  WebAssembly: {
    Module: new (bytes: Uint8Array) => object;
    Instance: new (module: object) => { exports: FilterExports };
  };
};
let compiled: object | undefined;

export interface TripleFilter {
  /** Copies `text` (bytes decoded as latin1) in; characters above 0xff lose their high byte, so verify every hit. */
  load(text: string): void;
  /**
   * Writes to `positions` where the triples ending in [from, to) of the loaded text start (positions >= from - 2)
   * and returns how many. `to - from` is at most CHUNK.
   */
  filter(from: number, to: number): number;
  /** Valid until the next `load`. */
  positions: Int32Array;
}

/** `bitmap`: 2 MiB, bit `t & 7` of byte `t >> 3` set for every triple `t` (first byte highest) to report. */
export function createTripleFilter(bitmap: Uint8Array): TripleFilter {
  compiled ??= new wasm.Module(MODULE);
  const { exports } = new wasm.Instance(compiled);
  const { memory } = exports;
  let bytes = Buffer.from(memory.buffer);
  bytes.set(bitmap, BITMAP);
  const self: TripleFilter = {
    positions: new Int32Array(memory.buffer, OUT, CHUNK),
    load(text) {
      if (TEXT + text.length > bytes.length) {
        memory.grow(Math.ceil((TEXT + text.length - bytes.length) / PAGE));
        bytes = Buffer.from(memory.buffer);
        self.positions = new Int32Array(memory.buffer, OUT, CHUNK);
      }
      bytes.write(text, TEXT, 'latin1');
    },
    filter(from, to) {
      const found = exports.filter(TEXT + Math.max(0, from - 2), TEXT + Math.max(from, 2), TEXT + to, OUT);
      const positions = self.positions;
      for (let k = 0; k < found; k++) positions[k] = (positions[k] as number) - TEXT;
      return found;
    },
  };
  return self;
}
