/**
 * A DDSketch-style latency sketch: values fall into logarithmic bins whose width is a fixed fraction of
 * their value, so any quantile is answered within `RELATIVE_ACCURACY` of the exact one, two sketches
 * merge by adding bin counts, and the bins serialise to a flat `{ index: count }` map that SQL can merge.
 * Every sketch uses the same accuracy: that is what makes stored sketches mergeable with each other.
 */

/** Quantiles are within 1% of the exact value. */
export const RELATIVE_ACCURACY = 0.01;
const GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
const LOG_GAMMA = Math.log(GAMMA);
/** Values at or below this (ms) share the zero bin: a microsecond is below any latency worth telling apart. */
const MIN_VALUE = 1e-3;
/** The key of the zero bin in the serialised map. */
const ZERO_KEY = 'z';

/**
 * Bins a summary counts in a flat array, reused: indexes from FLAT_LOW on, which is values from ~0.0003 ms to
 * ~2 hours. A sketch with a bin beyond that is summarised by merging.
 */
const FLAT_LOW = -400;
const FLAT_SIZE = 1_200;
const flat = new Float64Array(FLAT_SIZE);

/** What a merged sketch would answer, without the sketch (LatencySketch.summarize). */
export interface SketchSummary {
  quantiles: (number | undefined)[];
  count: number;
  sum: number;
  min: number;
  max: number;
}

/** The serialised form: bin counts (`z` for the zero bin) plus the exact count, sum, min and max. */
export interface SketchJson {
  bins: Record<string, number>;
  count: number;
  sum: number;
  min: number | null;
  max: number | null;
}

export class LatencySketch {
  private readonly bins = new Map<number, number>();
  private zero = 0;
  count = 0;
  sum = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;

  add(value: number, times = 1): this {
    if (!Number.isFinite(value) || times <= 0) return this;
    const v = Math.max(0, value);
    if (v <= MIN_VALUE) this.zero += times;
    else {
      const index = Math.ceil(Math.log(v) / LOG_GAMMA);
      this.bins.set(index, (this.bins.get(index) ?? 0) + times);
    }
    this.count += times;
    this.sum += v * times;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    return this;
  }

  merge(other: LatencySketch): this {
    for (const [index, n] of other.bins) this.bins.set(index, (this.bins.get(index) ?? 0) + n);
    this.zero += other.zero;
    this.count += other.count;
    this.sum += other.sum;
    this.min = Math.min(this.min, other.min);
    this.max = Math.max(this.max, other.max);
    return this;
  }

  /** The value at rank q·(n−1), within 1%; undefined when empty. Clamped to the exact min and max. */
  quantile(q: number): number | undefined {
    if (this.count === 0) return undefined;
    const rank = Math.min(1, Math.max(0, q)) * (this.count - 1);
    let seen = this.zero;
    if (seen > rank) return this.min;
    const indexes = [...this.bins.keys()].sort((a, b) => a - b);
    for (const index of indexes) {
      seen += this.bins.get(index) ?? 0;
      // The bin (γ^(i−1), γ^i] is answered by the point equally far, relatively, from both ends.
      if (seen > rank) return Math.min(this.max, Math.max(this.min, (2 * GAMMA ** index) / (GAMMA + 1)));
    }
    return this.max;
  }

  /** `quantile(q)` for each of `qs`, sorting the bins once instead of once per quantile. */
  quantiles(qs: readonly number[]): (number | undefined)[] {
    const indexes = [...this.bins.keys()].sort((a, b) => a - b);
    return quantilesOf(
      qs,
      { zero: this.zero, count: this.count, min: this.min, max: this.max },
      indexes.length,
      (b) => indexes[b]!,
      (b) => this.bins.get(indexes[b]!) ?? 0,
    );
  }

  /**
   * What `quantiles(qs)`, `count`, `sum`, `min` and `max` of the sketches merged would be, without merging them: a
   * scrape of /metrics asks it of every monitor (20,000 at once), and a merged sketch per monitor, a map of bins
   * and a sorted copy of its keys, was most of a scrape's garbage. The bins are counted in a reused flat array.
   */
  static summarize(sketches: readonly LatencySketch[], qs: readonly number[]): SketchSummary {
    let zero = 0;
    let count = 0;
    let sum = 0;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    let lo = FLAT_SIZE;
    let hi = -1;
    for (const sketch of sketches) {
      for (const [index, n] of sketch.bins) {
        const i = index - FLAT_LOW;
        if (i < 0 || i >= FLAT_SIZE) {
          if (hi >= lo) flat.fill(0, lo, hi + 1);
          const merged = new LatencySketch();
          for (const each of sketches) merged.merge(each);
          const { count: all, sum: total, min: least, max: most } = merged;
          return { quantiles: merged.quantiles(qs), count: all, sum: total, min: least, max: most };
        }
        flat[i] = (flat[i] ?? 0) + n;
        if (i < lo) lo = i;
        if (i > hi) hi = i;
      }
      zero += sketch.zero;
      count += sketch.count;
      sum += sketch.sum;
      if (sketch.min < min) min = sketch.min;
      if (sketch.max > max) max = sketch.max;
    }
    const quantiles = quantilesOf(
      qs,
      { zero, count, min, max },
      hi - lo + 1,
      (b) => lo + b + FLAT_LOW,
      (b) => flat[lo + b] ?? 0,
    );
    if (hi >= lo) flat.fill(0, lo, hi + 1);
    return { quantiles, count, sum, min, max };
  }

  /** The bins alone, as stored in a rollup row and merged there by summing per key. */
  toBins(): Record<string, number> {
    const out: Record<string, number> = {};
    if (this.zero) out[ZERO_KEY] = this.zero;
    for (const [index, n] of this.bins) out[String(index)] = n;
    return out;
  }

  /** `JSON.stringify(this.toBins())` without the object in between: a flush of check results writes thousands. */
  binsJson(): string {
    let out = this.zero ? `{"${ZERO_KEY}":${this.zero}` : '{';
    for (const [index, n] of this.bins) out += `${out.length > 1 ? ',' : ''}"${index}":${n}`;
    return `${out}}`;
  }

  toJSON(): SketchJson {
    const empty = this.count === 0;
    return {
      bins: this.toBins(),
      count: this.count,
      sum: this.sum,
      min: empty ? null : this.min,
      max: empty ? null : this.max,
    };
  }

  static fromJSON(json: SketchJson): LatencySketch {
    const sketch = LatencySketch.fromBins(json.bins);
    sketch.sum = json.sum;
    if (json.min !== null) sketch.min = json.min;
    if (json.max !== null) sketch.max = json.max;
    return sketch;
  }

  /**
   * A sketch from stored bins. Without a stored min and max, they are estimated from the lowest and
   * highest bin (still within 1%), and the sum from the bins' representative values.
   */
  static fromBins(bins: Record<string, number>): LatencySketch {
    const sketch = new LatencySketch();
    for (const [key, raw] of Object.entries(bins)) {
      const n = Number(raw);
      if (!(n > 0)) continue;
      if (key === ZERO_KEY) {
        sketch.zero += n;
        sketch.min = 0;
      } else {
        const index = Number(key);
        if (!Number.isInteger(index)) continue;
        sketch.bins.set(index, (sketch.bins.get(index) ?? 0) + n);
        const value = (2 * GAMMA ** index) / (GAMMA + 1);
        sketch.sum += value * n;
        sketch.min = Math.min(sketch.min, value);
        sketch.max = Math.max(sketch.max, value);
      }
      sketch.count += n;
    }
    if (sketch.zero && sketch.max < 0) sketch.max = 0;
    return sketch;
  }

  /** Compact bytes: sum, min and max as float64, then varints of the zero count and (index delta, count) pairs. */
  toBytes(): Uint8Array {
    const head = new DataView(new ArrayBuffer(24));
    const empty = this.count === 0;
    head.setFloat64(0, this.sum);
    head.setFloat64(8, empty ? Number.NaN : this.min);
    head.setFloat64(16, empty ? Number.NaN : this.max);
    const out: number[] = [...new Uint8Array(head.buffer)];
    writeVarint(out, this.zero);
    const indexes = [...this.bins.keys()].sort((a, b) => a - b);
    writeVarint(out, indexes.length);
    let previous = 0;
    for (const index of indexes) {
      writeVarint(out, zigzag(index - previous));
      writeVarint(out, this.bins.get(index) ?? 0);
      previous = index;
    }
    return Uint8Array.from(out);
  }

  static fromBytes(bytes: Uint8Array): LatencySketch {
    if (bytes.byteLength < 24) throw new RangeError('truncated latency sketch');
    const head = new DataView(bytes.buffer, bytes.byteOffset, 24);
    const reader = { bytes, offset: 24 };
    const bins: Record<string, number> = {};
    const zero = readVarint(reader);
    if (zero) bins[ZERO_KEY] = zero;
    const length = readVarint(reader);
    let index = 0;
    for (let i = 0; i < length; i++) {
      index += unzigzag(readVarint(reader));
      bins[String(index)] = readVarint(reader);
    }
    const [min, max] = [head.getFloat64(8), head.getFloat64(16)];
    return LatencySketch.fromJSON({
      bins,
      count: 0,
      sum: head.getFloat64(0),
      min: Number.isNaN(min) ? null : min,
      max: Number.isNaN(max) ? null : max,
    });
  }
}

/**
 * The values at ranks q·(count−1) of `qs`, within 1%, clamped to the exact min and max; undefined when empty. The
 * zero bin comes first, then `bins` bins in increasing index order: bin b has index `indexAt(b)` and `countAt(b)`
 * values (possibly none). The quantiles are answered in increasing order of q, each scan going on from where the
 * last one stopped.
 */
function quantilesOf(
  qs: readonly number[],
  { zero, count, min, max }: { zero: number; count: number; min: number; max: number },
  bins: number,
  indexAt: (bin: number) => number,
  countAt: (bin: number) => number,
): (number | undefined)[] {
  if (count === 0) return qs.map(() => undefined);
  const order = ascending(qs) ? qs.map((_, k) => k) : qs.map((_, k) => k).sort((a, b) => qs[a]! - qs[b]!);
  const out: (number | undefined)[] = new Array(qs.length);
  let seen = zero;
  let bin = -1;
  for (const k of order) {
    const rank = Math.min(1, Math.max(0, qs[k]!)) * (count - 1);
    if (zero > rank) {
      out[k] = min;
      continue;
    }
    while (seen <= rank && bin + 1 < bins) seen += countAt(++bin);
    // The bin (γ^(i−1), γ^i] is answered by the point equally far, relatively, from both ends.
    out[k] = seen > rank ? Math.min(max, Math.max(min, (2 * GAMMA ** indexAt(bin)) / (GAMMA + 1))) : max;
  }
  return out;
}

function ascending(qs: readonly number[]): boolean {
  for (let k = 1; k < qs.length; k++) if (qs[k]! < qs[k - 1]!) return false;
  return true;
}

function zigzag(n: number): number {
  return n < 0 ? -2 * n - 1 : 2 * n;
}

function unzigzag(n: number): number {
  return n % 2 ? -(n + 1) / 2 : n / 2;
}

function writeVarint(out: number[], value: number): void {
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

function readVarint(reader: { bytes: Uint8Array; offset: number }): number {
  let value = 0;
  let scale = 1;
  for (;;) {
    const byte = reader.bytes[reader.offset++];
    if (byte === undefined) throw new RangeError('truncated latency sketch');
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return value;
    scale *= 0x80;
  }
}
