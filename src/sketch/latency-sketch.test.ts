import { describe, expect, it } from 'vitest';
import { LatencySketch, RELATIVE_ACCURACY } from './latency-sketch.js';

/** A seeded generator, so a failure can be reproduced. */
function createRandom(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Log-normal latencies around 80 ms with a long tail, like a real endpoint's. */
function latencies(count: number, seed: number): number[] {
  const random = createRandom(seed);
  return Array.from({ length: count }, () => {
    const gaussian = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return Math.exp(Math.log(80) + 0.9 * gaussian);
  });
}

/** The value at rank q·(n−1), the definition the sketch approximates. */
function exactQuantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(q * (sorted.length - 1))] as number;
}

const QUANTILES = [0.5, 0.95, 0.99];

function expectWithinAccuracy(sketch: LatencySketch, values: number[]) {
  for (const q of QUANTILES) {
    const exact = exactQuantile(values, q);
    const estimate = sketch.quantile(q) as number;
    expect(Math.abs(estimate - exact) / exact, `p${q * 100}: ${estimate} vs ${exact}`).toBeLessThanOrEqual(
      RELATIVE_ACCURACY,
    );
  }
}

describe('LatencySketch', () => {
  it('answers p50, p95 and p99 within 1% of the exact values on random data', () => {
    for (const seed of [1, 2, 3]) {
      const values = latencies(20_000, seed);
      const sketch = new LatencySketch();
      for (const v of values) sketch.add(v);
      expect(sketch.count).toBe(values.length);
      expectWithinAccuracy(sketch, values);
    }
  });

  it('stays within 1% after merging sketches of different data', () => {
    const parts = [latencies(5_000, 11), latencies(3_000, 12).map((v) => v * 4), latencies(700, 13)];
    const merged = new LatencySketch();
    for (const part of parts) {
      const sketch = new LatencySketch();
      for (const v of part) sketch.add(v);
      merged.merge(sketch);
    }
    const all = parts.flat();
    expect(merged.count).toBe(all.length);
    expect(merged.min).toBe(Math.min(...all));
    expect(merged.max).toBe(Math.max(...all));
    expectWithinAccuracy(merged, all);
  });

  it('merges through its stored bins as SQL would: summing counts per key', () => {
    const a = latencies(4_000, 21);
    const b = latencies(4_000, 22).map((v) => v / 50);
    const sketchA = new LatencySketch();
    for (const v of a) sketchA.add(v);
    const sketchB = new LatencySketch();
    for (const v of b) sketchB.add(v);
    const summed: Record<string, number> = { ...sketchA.toBins() };
    for (const [k, n] of Object.entries(sketchB.toBins())) summed[k] = (summed[k] ?? 0) + n;
    expectWithinAccuracy(LatencySketch.fromBins(summed), [...a, ...b]);
  });

  it('round-trips through JSON and bytes without losing counts, sum, min or max', () => {
    const values = [...latencies(1_000, 31), 0, 0.0001, 250_000];
    const sketch = new LatencySketch();
    for (const v of values) sketch.add(v);
    const fromJson = LatencySketch.fromJSON(JSON.parse(JSON.stringify(sketch)));
    const bytes = sketch.toBytes();
    const fromBytes = LatencySketch.fromBytes(bytes);
    for (const copy of [fromJson, fromBytes]) {
      expect(copy.count).toBe(sketch.count);
      expect(copy.sum).toBeCloseTo(sketch.sum, 6);
      expect(copy.min).toBe(0);
      expect(copy.max).toBe(250_000);
      for (const q of [0, ...QUANTILES, 1]) expect(copy.quantile(q)).toBe(sketch.quantile(q));
    }
    // A few hundred distinct bins: far smaller than the values themselves.
    expect(bytes.byteLength).toBeLessThan(values.length * 2);
  });

  it('answers many quantiles at once exactly as one at a time, in any order, zeros and extremes included', () => {
    const random = createRandom(11);
    const qs = [0.99, 0, 0.5, 1, 0.9, 0.25, 0.95, 0.5, 0.001];
    for (let round = 0; round < 50; round++) {
      const sketch = new LatencySketch();
      const n = 1 + Math.floor(random() * 200);
      // A share of zero latencies exercises the zero bucket below every bin.
      for (const v of latencies(n, round)) sketch.add(random() < 0.2 ? 0 : v);
      expect(sketch.quantiles(qs)).toEqual(qs.map((q) => sketch.quantile(q)));
    }
    expect(new LatencySketch().quantiles([0.5, 0.99])).toEqual([undefined, undefined]);
  });

  it('writes its bins as JSON that parses to exactly toBins(), zero bin, sub-millisecond bins and empty included', () => {
    const random = createRandom(5);
    for (let round = 0; round < 30; round++) {
      const sketch = new LatencySketch();
      // Values below 1 ms have negative bin indexes, and some fall in the zero bin.
      for (const v of latencies(1 + Math.floor(random() * 100), round))
        sketch.add(random() < 0.2 ? v / 1_000 : v);
      if (round % 3 === 0) sketch.add(0, 4);
      expect(JSON.parse(sketch.binsJson())).toEqual(sketch.toBins());
    }
    expect(new LatencySketch().binsJson()).toBe('{}');
  });

  it('answers nothing when empty and the value itself for a single sample', () => {
    expect(new LatencySketch().quantile(0.5)).toBeUndefined();
    const one = new LatencySketch().add(42);
    for (const q of QUANTILES) expect(one.quantile(q)).toBe(42);
  });

  it('rejects truncated bytes', () => {
    const bytes = new LatencySketch().add(10).add(20).toBytes();
    expect(() => LatencySketch.fromBytes(bytes.subarray(0, bytes.length - 1))).toThrow(RangeError);
  });

  it('summarises sketches exactly as their merge would answer, in any order of quantiles, huge values included', () => {
    const random = createRandom(7);
    const qs = [0.99, 0, 0.5, 0.9, 1, 0.95];
    for (let round = 0; round < 60; round++) {
      const sketches = Array.from({ length: 1 + (round % 7) }, (_, k) => {
        const sketch = new LatencySketch();
        for (const v of latencies(round % 5 === 0 ? 0 : 1 + Math.floor(random() * 40), round * 10 + k))
          sketch.add(v);
        if (round % 4 === 1) sketch.add(0, 3); // the zero bin
        if (round % 9 === 2) sketch.add(1e12); // beyond the flat array: summarised by merging
        return sketch;
      });
      const merged = new LatencySketch();
      for (const sketch of sketches) merged.merge(sketch);
      const summary = LatencySketch.summarize(sketches, qs);
      expect(summary.quantiles).toEqual(merged.quantiles(qs));
      expect([summary.count, summary.sum, summary.min, summary.max]).toEqual([
        merged.count,
        merged.sum,
        merged.min,
        merged.max,
      ]);
    }
    // Nothing of one summary is left behind for the next.
    expect(LatencySketch.summarize([new LatencySketch().add(5)], [0.5, 1]).quantiles).toEqual([5, 5]);
    expect(LatencySketch.summarize([], [0.5]).quantiles).toEqual([undefined]);
  });
});
