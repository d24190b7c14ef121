/** Prometheus text exposition format 0.0.4: metric families with HELP and TYPE, escaped labels, Go-style floats. */
import { createSlicer } from './slices.js';

export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export interface Sample {
  /** Suffix to the family name, e.g. `_sum`; default none. */
  suffix?: string;
  labels?: Record<string, string>;
  /**
   * The label pairs already rendered (`a="x",b="y"`, escaped), instead of `labels`: for the many samples of one
   * monitor, whose labels are rendered once (120,000 samples a scrape at 20,000 monitors).
   */
  labelText?: string;
  value: number;
}

export interface MetricFamily {
  name: string;
  help: string;
  type: 'gauge' | 'counter' | 'summary';
  samples: Sample[];
  /**
   * Whole lines rendered by the caller, written after `samples`: for the families with a line or six per monitor
   * (140,000 lines a scrape at 20,000 monitors), where a Sample object per line and its label rendering were most
   * of a scrape's event-loop time. An iterable, so each monitor's lines are made as they are written.
   */
  lines?: Iterable<string>;
}

// Most label values need no escaping: test once rather than run three replaces (140,000 values at 20,000 monitors).
const NEEDS_ESCAPE = /[\\\n"]/;
const escapeLabel = (v: string) =>
  NEEDS_ESCAPE.test(v) ? v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"') : v;
const escapeHelp = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(v);
}

/** The label pairs of a sample, escaped and joined: `a="x",b="y"`. */
export function renderLabelPairs(labels: Record<string, string>): string {
  const pairs: string[] = [];
  for (const key in labels) pairs.push(`${key}="${escapeLabel(labels[key]!)}"`);
  return pairs.join(',');
}

function renderLabels(s: Sample): string {
  const pairs = s.labelText ?? (s.labels ? renderLabelPairs(s.labels) : '');
  return pairs ? `{${pairs}}` : '';
}

/**
 * The families as exposition text in UTF-8, handing the event loop back when a slice has used its time (slices.ts;
 * checked every `checkEvery` samples): at 20,000 monitors a scrape writes 140,000 lines, about 12 MB, and the checks
 * due meanwhile on the same event loop must not start late because of it. Each line is encoded straight into one
 * growing buffer: joining each slice's lines, encoding the slice and concatenating the slices took 2.5 times as long
 * (20,000 monitors, warm: ~250 ms of the event loop a scrape against ~100 ms), and a scrape's time on the loop is
 * time the checks due meanwhile wait.
 */
export async function renderExposition(
  families: readonly MetricFamily[],
  checkEvery = 256,
): Promise<Buffer<ArrayBuffer>> {
  const turn = createSlicer();
  const out = new Utf8Writer(lastLength + (lastLength >> 4));
  let written = 0;
  for (const f of families) {
    out.write(`# HELP ${f.name} ${escapeHelp(f.help)}\n# TYPE ${f.name} ${f.type}\n`);
    for (const s of f.samples) {
      out.write(`${f.name}${s.suffix ?? ''}${renderLabels(s)} ${formatValue(s.value)}\n`);
      if (++written % checkEvery === 0) await turn();
    }
    for (const text of f.lines ?? []) {
      out.write(text);
      if (++written % checkEvery === 0) await turn();
    }
  }
  const bytes = out.bytes();
  lastLength = bytes.length;
  return bytes;
}

/**
 * The last rendering's size, as the next one's first buffer: a scrape is about as long as the one before, and
 * doubling from 64 KiB to 16 MiB copied the text twice over and touched twice the memory (~30 ms of a scrape).
 */
let lastLength = 64 * 1024;

/** Text appended as UTF-8 to a buffer that doubles when it is full. */
class Utf8Writer {
  private buffer: Buffer<ArrayBuffer>;
  private length = 0;

  constructor(size: number) {
    this.buffer = Buffer.allocUnsafe(size);
  }

  write(text: string): void {
    // One UTF-16 unit is at most 3 bytes of UTF-8 (a surrogate pair, two units, is 4).
    const most = this.length + text.length * 3;
    if (most > this.buffer.length) {
      const bigger = Buffer.allocUnsafe(Math.max(most, this.buffer.length * 2));
      this.buffer.copy(bigger, 0, 0, this.length);
      this.buffer = bigger;
    }
    this.length += this.buffer.write(text, this.length, 'utf8');
  }

  bytes(): Buffer<ArrayBuffer> {
    return this.buffer.subarray(0, this.length);
  }
}
