// Startup time of `opsbook --version` and `opsbook --help` next to `node -e 0` (aim: within 100 ms of it).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const runs = Number(process.env.RUNS ?? 20);

function measure(args) {
  const times = [];
  for (let i = 0; i < runs + 2; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
    if (i >= 2) times.push(ms); // the first runs warm the file cache
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], p90: times[Math.floor(times.length * 0.9)] };
}

const base = measure(['-e', '0']);
const rows = [
  ['node -e 0', base],
  ['opsbook --version', measure([cli, '--version'])],
  ['opsbook --help', measure([cli, '--help'])],
  ['opsbook validate --help', measure([cli, 'validate', '--help'])],
];
console.log(`startup over ${runs} runs (median / p90, ms)`);
for (const [name, t] of rows) {
  const over = name === 'node -e 0' ? '' : `  (+${(t.median - base.median).toFixed(1)} ms over node)`;
  console.log(`${name.padEnd(26)} ${t.median.toFixed(1).padStart(7)} ${t.p90.toFixed(1).padStart(7)}${over}`);
}
