// Shared by bench:serve and bench:monitor: the loopback target, `opsbook serve` as a CLI process with N HTTP
// monitors, and CPU and memory of a process read from /proc (Linux), so every tool is measured from outside.
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { opsbook } from './cli.mjs';

export interface Target {
  child: ChildProcess;
  url: string;
  report(): Promise<IntervalReport>;
  reset(): void;
  stop(): void;
}

export interface IntervalReport {
  requests: number;
  paths: number;
  gaps: number;
  p50: number | null;
  p99: number | null;
  max: number | null;
}

export function startTarget(intervalMs: number): Promise<Target> {
  const child = fork(new URL('./monitor-target.mjs', import.meta.url).pathname, [String(intervalMs)], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  return new Promise((resolve) =>
    child.stdout?.once('data', (d: Buffer) =>
      resolve({
        child,
        url: `http://127.0.0.1:${String(d).trim()}`,
        report: () =>
          new Promise((answer) => {
            child.once('message', (m) => answer(m as IntervalReport));
            child.send('report');
          }),
        reset: () => child.send('reset'),
        stop: () => {
          child.disconnect();
          child.kill();
        },
      }),
    ),
  );
}

export const PER_SERVICE = 100;

/** N health endpoints as a config declares them, 100 per service; JSON is YAML, so it is the opsbook.yaml. */
export function writeMonitorConfig(dir: string, url: string, monitors: number, interval: string): string[] {
  const services: Record<string, unknown> = {};
  const paths: string[] = [];
  for (let s = 0; s * PER_SERVICE < monitors; s++)
    services[`svc${s}`] = {
      kind: 'web',
      urls: { production: url },
      health: Array.from({ length: Math.min(PER_SERVICE, monitors - s * PER_SERVICE) }, (_, e) => {
        paths.push(`/svc${s}/e${e}`);
        return {
          type: 'readiness',
          name: `e${e}`,
          path: `/svc${s}/e${e}`,
          expect: { status: 200, body: [{ path: 'status', equals: 'healthy' }] },
          timeout: '5s',
        };
      }),
    };
  const config = { name: 'bench', monitoring: { interval, retries: 0 }, services };
  writeFileSync(join(dir, 'opsbook.yaml'), JSON.stringify(config, null, 1));
  return paths;
}

export interface Serve {
  child: ChildProcess;
  url: string;
  /** Warnings it printed (e.g. the engine falling behind). */
  warnings: string[];
  stop(): Promise<void>;
}

/** `opsbook serve` in `dir` on a free port, as users run it; resolves once it prints where it serves. */
export function startServe(dir: string, env: NodeJS.ProcessEnv = process.env): Promise<Serve> {
  const child = spawn(opsbook[0]!, [...opsbook.slice(1), 'serve', '--port', '0', '--plain'], {
    cwd: dir,
    env,
  });
  const warnings: string[] = [];
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d;
      for (const line of String(d).split('\n')) if (/warn|behind/i.test(line)) warnings.push(line.trim());
      const m = /serving \S+ at (http:\/\/\S+)/.exec(output);
      if (m)
        resolve({
          child,
          url: m[1]!,
          warnings,
          stop: () =>
            new Promise((done) => {
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`opsbook serve exited ${code}: ${output.slice(-500)}`)));
  });
}

const TICK = 100; // USER_HZ on Linux

/** CPU seconds (user + system) a process has used so far, and its resident memory now, from /proc. */
export function procUsage(pid: number): { cpuSeconds: number; rssMiB: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / TICK;
  const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { cpuSeconds, rssMiB: Number(rss?.[1] ?? 0) / 1024 };
}

/** Samples the peak RSS of `pids` (summed) every second until stopped. */
export function watchMemory(pids: number[]): { stop(): number } {
  let peak = 0;
  const sample = () => {
    const total = pids.reduce((n, pid) => n + procUsage(pid).rssMiB, 0);
    peak = Math.max(peak, total);
  };
  sample();
  const timer = setInterval(sample, 1_000);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}
