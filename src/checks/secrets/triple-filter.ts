/**
 * The keyword scan's hot loop in WebAssembly: the positions of a text where one of the keywords' first three bytes
 * begins (ASCII case folded). It was the scan's largest single cost as a byte-at-a-time loop over a bitmap of triples
 * (a quarter of its CPU on node_modules, ~1.4 ns a byte), so it now looks at 16 positions at once with SIMD, the way
 * Hyperscan's Teddy does: each beginning is put in one of 8 buckets, and two 16-byte tables per offset (by a byte's
 * low and high nibble) give the buckets that byte may belong to there; the three offsets' answers ANDed leave a few
 * positions, each then checked exactly against a bitmap of triples of byte classes. The module is a few hundred
 * bytes, assembled here; the comments give each step in the text format's terms.
 */

const CLASSES = 0; // 256 bytes: byte -> class (0: in no beginning)
const NIBBLES = 256; // 6 x 16 bytes: per offset, bucket bits by low nibble, then by high nibble
const BITMAP = 512; // at most 256 KiB: one bit per triple of 7-bit classes
const OUT = BITMAP + (1 << 18); // CHUNK 32-bit positions
/** Positions filtered per call, so one call's candidates always fit in OUT. */
export const CHUNK = 64 * 1024;
const TEXT = OUT + CHUNK * 4;
/** The last 16-byte load may read this far past the text's end (what it finds there is masked off). */
const SLACK = 32;
const PAGE = 64 * 1024;
const BUCKETS = 8;

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

// (func $filter (param $from $to $out i32) (result i32)
//   (local $i $n $mask $s $t i32) (local $lo0 $hi0 $lo1 $hi1 $lo2 $hi2 $nibble $v $zero v128)
const [FROM, TO, OUT_AT, I, N, MASK, S, T] = [0, 1, 2, 3, 4, 5, 6, 7];
const [LO0, NIBBLE, V, ZERO] = [8, 14, 15, 16];
const get = (l: number) => [0x20, l];
const set = (l: number) => [0x21, l];
const tee = (l: number) => [0x22, l];
const konst = (n: number) => [0x41, ...sleb(n)];
const [EQZ, ADD, SUB, AND, XOR, SHL, SHR_U, CTZ, GE_U, LT_U] = [
  0x45, 0x6a, 0x6b, 0x71, 0x73, 0x74, 0x76, 0x68, 0x4f, 0x49,
];
const LOAD8_AT = (offset: number) => [0x2d, 0, ...uleb(offset)];
const STORE32 = [0x36, 2, 0];
const [BLOCK, LOOP, IF, END, BR_IF, VOID] = [0x02, 0x03, 0x04, 0x0b, 0x0d, 0x40];
const simd = (op: number) => [0xfd, ...uleb(op)];
const V128_LOAD_AT = (offset: number) => [...simd(0x00), 0, ...uleb(offset)];
const [SWIZZLE, SPLAT, EQ, V_AND, BITMASK, SHR_U8] = [0x0e, 0x0f, 0x23, 0x4e, 0x64, 0x6d].map(simd) as [
  number[],
  number[],
  number[],
  number[],
  number[],
  number[],
];

/** Bucket bits of the byte at `i + offset` for each of 16 positions: lo[v & 15] & hi[v >> 4]. */
const lookup = (offset: number) => [
  ...[
    ...get(LO0 + 2 * offset),
    ...get(I),
    ...V128_LOAD_AT(offset),
    ...tee(V),
    ...get(NIBBLE),
    ...V_AND,
    ...SWIZZLE,
  ],
  ...[...get(LO0 + 2 * offset + 1), ...get(V), ...konst(4), ...SHR_U8, ...SWIZZLE, ...V_AND],
];
/** mem32[out + 4n] = s; n++ when the classes of the bytes at s, s+1, s+2 form a triple of the bitmap. */
const exactCheck = (bits: number) => [
  ...[...get(S), ...LOAD8_AT(0), ...LOAD8_AT(CLASSES), ...konst(2 * bits), SHL],
  ...[...get(S), ...LOAD8_AT(1), ...LOAD8_AT(CLASSES), ...konst(bits), SHL, 0x72],
  ...[...get(S), ...LOAD8_AT(2), ...LOAD8_AT(CLASSES), 0x72, ...tee(T)],
  ...[
    ...konst(3),
    SHR_U,
    ...LOAD8_AT(BITMAP),
    ...get(T),
    ...konst(7),
    AND,
    SHR_U,
    ...konst(1),
    AND,
    IF,
    VOID,
  ],
  ...[...get(OUT_AT), ...get(N), ...konst(2), SHL, ADD, ...get(S), ...STORE32],
  ...[...get(N), ...konst(1), ADD, ...set(N), END],
];
/** The filter for classes of `bits` bits: reports start positions in [from, to), ascending. */
const body = (bits: number) => [
  ...[2, 5, 0x7f, 9, 0x7b], // five i32 locals, nine v128 locals
  ...[0, 1, 2, 3, 4, 5].flatMap((k) => [...konst(0), ...V128_LOAD_AT(NIBBLES + 16 * k), ...set(LO0 + k)]),
  ...[...konst(15), ...SPLAT, ...set(NIBBLE), ...konst(0), ...SPLAT, ...set(ZERO)],
  ...[...get(FROM), ...set(I)],
  ...[BLOCK, VOID, ...get(I), ...get(TO), GE_U, BR_IF, 0], // nothing to look at: done
  ...[LOOP, VOID],
  // mask = positions i..i+15 whose three bytes share a bucket
  ...[...lookup(0), ...lookup(1), ...lookup(2), ...V_AND, ...V_AND],
  ...[...get(ZERO), ...EQ, ...BITMASK, ...konst(0xffff), XOR, ...set(MASK)],
  // the last block: if (to - i < 16) mask &= (1 << (to - i)) - 1
  ...[...get(TO), ...get(I), SUB, ...konst(16), LT_U, IF, VOID],
  ...[...get(MASK), ...konst(1), ...get(TO), ...get(I), SUB, SHL, ...konst(1), SUB, AND, ...set(MASK), END],
  // for each bit: s = i + ctz(mask); check s exactly; mask &= mask - 1
  ...[BLOCK, VOID, ...get(MASK), EQZ, BR_IF, 0, LOOP, VOID],
  ...[...get(I), ...get(MASK), CTZ, ADD, ...set(S), ...exactCheck(bits)],
  ...[...get(MASK), ...get(MASK), ...konst(1), SUB, AND, ...tee(MASK), BR_IF, 0, END, END],
  // while ((i += 16) < to)
  ...[...get(I), ...konst(16), ADD, ...tee(I), ...get(TO), LT_U, BR_IF, 0, END, END],
  ...[...get(N), END],
];
const assemble = (bits: number) => {
  const code = body(bits);
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [1, 0x60, 3, 0x7f, 0x7f, 0x7f, 1, 0x7f]), // type: (i32 i32 i32) -> i32
    ...section(3, [1, 0]), // one function of that type
    ...section(5, [1, 0, ...uleb(TEXT / PAGE + 1)]), // memory: tables, bitmap, positions, a first text page
    ...section(7, [2, ...name('filter'), 0, 0, ...name('memory'), 2, 0]),
    ...section(10, [1, ...uleb(code.length), ...code]),
  ]);
};

/** The little of the WebAssembly API used here (the project's TypeScript lib has no WebAssembly types). */
interface FilterExports {
  filter(from: number, to: number, out: number): number;
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
}
const { WebAssembly: wasm } = globalThis as unknown as {
  WebAssembly: {
    Module: new (bytes: Uint8Array) => object;
    Instance: new (module: object) => { exports: FilterExports };
  };
};
/** By class bits: the same keyword set comes back in every thread. */
const compiled = new Map<number, object>();

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

/** A lower-case ASCII letter and its upper case; any other byte alone. */
const spellings = (code: number) => (code >= 97 && code <= 122 ? [code, code - 32] : [code]);
const popcount = (n: number) => {
  let c = 0;
  for (; n; n &= n - 1) c++;
  return c;
};

/**
 * Each beginning goes to the bucket where it adds the fewest byte triples that bucket's nibble tables let through
 * (a loose bucket costs exact checks, never a miss).
 */
function nibbleTables(beginnings: readonly number[][]): Uint8Array {
  const masks = Array.from({ length: BUCKETS }, () => [0, 0, 0, 0, 0, 0]); // lo, hi nibble sets per offset
  const through = (m: number[]) =>
    [0, 1, 2].reduce((n, o) => n * popcount(m[2 * o]!) * popcount(m[2 * o + 1]!), 1);
  const tables = new Uint8Array(96);
  for (const codes of beginnings) {
    const own = [0, 1, 2].flatMap((o) => {
      const spelled = spellings(codes[o]!);
      return [
        spelled.reduce((lo, s) => lo | (1 << (s & 15)), 0),
        spelled.reduce((hi, s) => hi | (1 << (s >> 4)), 0),
      ];
    });
    let best = 0;
    let bestCost = Number.POSITIVE_INFINITY;
    masks.forEach((m, b) => {
      const cost = through(m.map((x, k) => x | own[k]!)) - through(m);
      if (cost < bestCost) [best, bestCost] = [b, cost];
    });
    masks[best] = masks[best]!.map((x, k) => x | own[k]!);
  }
  masks.forEach((m, b) => {
    m.forEach((set, k) => {
      for (let nibble = 0; nibble < 16; nibble++) if (set & (1 << nibble)) tables[16 * k + nibble]! |= 1 << b;
    });
  });
  return tables;
}

/**
 * Finds where any of `beginnings` (three bytes each, printable ASCII, no upper case) starts, letters in either case.
 * Positions are candidates only in that characters above 0xff are seen by their low byte.
 */
export function createTripleFilter(beginnings: readonly string[]): TripleFilter {
  const codes = [...new Set(beginnings)].map((b) => [0, 1, 2].map((i) => b.charCodeAt(i)));
  // Class 0: bytes in no beginning; then one class per byte, both cases of a letter alike.
  const classes = new Uint8Array(256);
  let count = 0;
  for (const code of codes.flat())
    if (classes[code] === 0) {
      count++;
      for (const s of spellings(code)) classes[s] = count;
    }
  const bits = Math.max(1, Math.ceil(Math.log2(count + 1))); // at most 7: 69 printable bytes once folded
  const bitmap = new Uint8Array(Math.max(1, (1 << (3 * bits)) >>> 3));
  for (const [a, b, c] of codes) {
    const t = ((classes[a!] as number) << (2 * bits)) | ((classes[b!] as number) << bits) | classes[c!]!;
    bitmap[t >>> 3]! |= 1 << (t & 7);
  }
  let module = compiled.get(bits);
  if (!module) {
    module = new wasm.Module(assemble(bits));
    compiled.set(bits, module);
  }
  const { exports } = new wasm.Instance(module);
  const { memory } = exports;
  let bytes = Buffer.from(memory.buffer);
  bytes.set(classes, CLASSES);
  bytes.set(nibbleTables(codes), NIBBLES);
  bytes.set(bitmap, BITMAP);
  const self: TripleFilter = {
    positions: new Int32Array(memory.buffer, OUT, CHUNK),
    load(text) {
      if (TEXT + text.length + SLACK > bytes.length) {
        memory.grow(Math.ceil((TEXT + text.length + SLACK - bytes.length) / PAGE));
        bytes = Buffer.from(memory.buffer);
        self.positions = new Int32Array(memory.buffer, OUT, CHUNK);
      }
      bytes.write(text, TEXT, 'latin1');
    },
    filter(from, to) {
      const first = Math.max(0, from - 2);
      const found = exports.filter(TEXT + first, TEXT + Math.max(first, to - 2), OUT);
      const positions = self.positions;
      for (let k = 0; k < found; k++) positions[k] = (positions[k] as number) - TEXT;
      return found;
    },
  };
  return self;
}
