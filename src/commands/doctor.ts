import { deployStatus } from '../app/status.js';
import { type DoctorReport, type Finding, runDoctor } from '../doctor/index.js';
import { type EnvFingerprint, loadEnvFingerprint } from '../env-fingerprint/index.js';
import { EXIT } from '../errors.js';
import type { Output } from '../output/index.js';
import { openStore } from '../store/index.js';
import { flagString } from './args.js';
import { configFor } from './config.js';
import type { CommandHandler } from './types.js';

const MARK: Record<
  Finding['verdict'],
  { pretty: string; plain: string; style: 'red' | 'yellow' | 'green' | 'dim' }
> = {
  problem: { pretty: '✗', plain: 'PROBLEM', style: 'red' },
  warning: { pretty: '!', plain: 'WARNING', style: 'yellow' },
  ok: { pretty: '✓', plain: 'ok', style: 'green' },
  skipped: { pretty: '-', plain: 'skipped', style: 'dim' },
};

export function printDoctor(report: DoctorReport, out: Output): void {
  out.heading(`doctor · ${report.environment}${report.service ? ` · ${report.service}` : ''}`);
  for (const f of report.findings) {
    const mark = MARK[f.verdict];
    const label = `${f.check}${f.service ? ` ${f.service}` : ''}`;
    out.line(
      `${out.style(mark.style, out.mode === 'plain' ? mark.plain : mark.pretty)} ${out.style('bold', label)}: ${f.found}`,
    );
    if (f.verdict === 'ok' || f.verdict === 'skipped') continue;
    out.line(`    looked at: ${f.looked}`);
    for (const d of f.details ?? []) out.line(`    ${d}`);
    if (f.fix) out.line(`    ${out.style('cyan', 'fix:')} ${f.fix}`);
  }
  out.line();
  if (report.problems)
    out.line(`${report.problems} problem(s), ${report.warnings} warning(s); the likeliest cause is first`);
  else if (report.warnings) out.line(`no problem found; ${report.warnings} warning(s)`);
  else if (report.findings.some((f) => f.verdict === 'ok')) out.success('no problem found');
  else out.line('nothing could be checked: give services URLs, health endpoints and connection URLs');
}

export const run: CommandHandler = async (input) => {
  const loaded = await configFor(input);
  if (loaded.failure) return loaded.failure;
  const environment = flagString(input, 'env') ?? 'production';
  const service = input.positionals[0];
  const store = await openStore({ cwd: input.cwd, env: input.env, redactor: input.out.redactor });
  let deploy: Awaited<ReturnType<typeof deployStatus>>;
  let envFingerprints: EnvFingerprint[];
  try {
    deploy = await deployStatus(store, environment);
    const names = Object.keys(loaded.config.services);
    envFingerprints = (
      await Promise.all(names.map((name) => loadEnvFingerprint(store, environment, name)))
    ).filter((f): f is EnvFingerprint => f !== undefined);
  } finally {
    await store.close();
  }
  const report = await runDoctor({
    cwd: input.cwd,
    config: loaded.config,
    configFile: loaded.file,
    environment,
    ...(service ? { service } : {}),
    env: input.env,
    signal: input.signal,
    redactor: input.out.redactor,
    deploy,
    envFingerprints,
  });
  // Nothing ok and nothing wrong means nothing was decided: that is not a clean bill of health.
  const decided = report.findings.some((f) => f.verdict !== 'skipped');
  const ok = report.problems === 0 && decided;
  return { ok, data: report, exitCode: ok ? EXIT.ok : EXIT.failed, print: (out) => printDoctor(report, out) };
};
