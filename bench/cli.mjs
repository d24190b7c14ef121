// Shared by the benchmarks: time a command as a whole process (start-up included), the machine's load beside it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
/** The built CLI, as users run it. */
export const opsbook = [process.execPath, fileURLToPath(new URL('../dist/main.js', import.meta.url))];
const TIME = '/usr/bin/time';

/** Every figure is printed beside this: on a shared machine the load says how far to trust it. */
export function loadLine() {
  const [one, five] = loadavg();
  return `load average ${one.toFixed(2)} (1 min), ${five.toFixed(2)} (5 min)`;
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Runs `argv` `runs` times (after `warm` unmeasured runs that fill the file cache) and returns the median wall time,
 * the peak RSS when /usr/bin/time is there, and the last run's output. `ok(status)` decides which exits are fine.
 */
export function timeCli(argv, { runs = 3, warm = 1, ...options } = {}) {
  return timeInterleaved([{ argv, ...options }], { runs, warm })[0];
}

/**
 * Times several commands in rounds, each round running each once: a slow phase of a shared machine (they last
 * seconds to minutes here) then weighs on every command alike instead of on whichever ran during it. Each entry is
 * `{ argv, cwd, env, ok, maxBuffer }`; the results are in the same order, as timeCli returns them.
 */
export function timeInterleaved(entries, { runs = 3, warm = 1 } = {}) {
  const measureRss = existsSync(TIME);
  const results = entries.map(() => ({ walls: [], rss: [], last: undefined }));
  for (let i = 0; i < warm + runs; i++) {
    for (const [k, { argv, cwd, env, ok = (s) => s === 0, maxBuffer = 1 << 30 }] of entries.entries()) {
      const [cmd, ...args] = measureRss ? [TIME, '-f', '\n%M', ...argv] : argv;
      const started = performance.now();
      const last = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer });
      const ms = performance.now() - started;
      if (last.error) throw last.error;
      if (!ok(last.status))
        throw new Error(`${argv.join(' ')} exited ${last.status}: ${(last.stderr ?? '').slice(-800)}`);
      const r = results[k];
      r.last = last;
      if (i < warm) continue;
      r.walls.push(ms);
      if (measureRss) r.rss.push(Number(last.stderr.trimEnd().split('\n').pop()) / 1024);
    }
  }
  return results.map(({ walls, rss, last }) => ({
    ms: median(walls),
    all: walls.map((w) => Math.round(w)),
    rssMiB: rss.length ? Math.max(...rss) : undefined,
    stdout: last.stdout,
    stderr: last.stderr,
  }));
}

/** `1.23x` read as "opsbook takes 1.23 times the peer's time". */
export const ratio = (ours, theirs) => `${(ours / theirs).toFixed(2)}x`;
