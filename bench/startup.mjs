// Start-up as users meet it: real commands of the built CLI on the demo stack, each as a whole process, next to
// `node -e 0` (aims: validate and `migrate lint` of one file within 150 ms of it). `RUNS=20` by default.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadLine, opsbook, root, timeInterleaved } from './cli.mjs';

const RUNS = Number(process.env.RUNS ?? 20);
const work = mkdtempSync(join(tmpdir(), 'opsbook-bench-startup-'));
try {
  cpSync(join(root, 'examples/demo'), work, { recursive: true });
  // `check` replays its gates from the cache: the first (unmeasured) run fills it.
  const anyExit = () => true;
  // The parse cache (config/parse-cache.ts) skips the YAML parse of an unchanged opsbook.yaml: the warm-up runs
  // fill it, so those rows say "parsed config cached"; the "no cache" rows run with OPSBOOK_NO_CACHE=1.
  const noCache = { ...process.env, OPSBOOK_NO_CACHE: '1' };
  const lint1 = [...opsbook, 'migrate', 'lint', 'migrations/001_create_notes.sql'];
  const node = ['node -e 0', [process.execPath, '-e', '0']];
  // Two groups, each timed in rounds beside `node -e 0` (bench/cli.mjs): the second needs the state store that
  // `check` creates, and the first must run without it.
  const groups = [
    [
      node,
      ['opsbook --version', [...opsbook, '--version']],
      ['opsbook --help', [...opsbook, '--help']],
      ['opsbook validate (parsed config cached)', [...opsbook, 'validate']],
      ['opsbook validate (no cache)', [...opsbook, 'validate'], undefined, noCache],
      ['opsbook status --offline (cached)', [...opsbook, 'status', '--offline'], anyExit],
      ['opsbook migrate lint, 1 file (cached)', lint1],
      ['opsbook migrate lint, 1 file (no cache)', lint1, undefined, noCache],
    ],
    [
      node,
      ['opsbook check (gate results cached)', [...opsbook, 'check'], anyExit],
      // After `check` the demo has a state store (.opsbook/state.sqlite), which `status` then opens.
      ['opsbook status --offline (with a store)', [...opsbook, 'status', '--offline'], anyExit],
    ],
  ];
  console.log(`start-up, median of ${RUNS} rounds after 2 warm-up rounds, demo stack (${loadLine()})`);
  for (const [g, rows] of groups.entries()) {
    const times = timeInterleaved(
      rows.map(([, argv, ok, env]) => ({ argv, cwd: work, ok, env })),
      { runs: RUNS, warm: 2 },
    );
    const base = times[0].ms;
    for (const [i, [name]] of rows.entries()) {
      if (g > 0 && i === 0) continue;
      const t = times[i];
      const over = i === 0 ? '' : `  +${(t.ms - base).toFixed(0)} ms over node`;
      const rss = t.rssMiB ? `  ${t.rssMiB.toFixed(0)} MiB` : '';
      console.log(`  ${name.padEnd(42)} ${t.ms.toFixed(0).padStart(5)} ms${over}${rss}`);
    }
  }
  console.log(`after: ${loadLine()}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
