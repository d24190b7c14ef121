/** The doctor use-case: every doctor check on the environment, with the lock, the last run and the env fingerprints from the store. */
import { type DoctorReport, runDoctor } from '../doctor/index.js';
import { type EnvFingerprint, loadEnvFingerprint } from '../env-fingerprint/index.js';
import type { Store } from '../store/index.js';
import { type ConfigOptions, configAndFile, resolveOptions, withStore } from './context.js';
import { deployStatus } from './status.js';

export interface DoctorUseCaseOptions extends ConfigOptions {
  /** Default: production. */
  environment?: string;
  /** Only this service. */
  service?: string;
  store?: Store;
}

export interface DoctorResult {
  report: DoctorReport;
  /** No problem, and at least one check decided something: nothing checked is not a clean bill of health. */
  ok: boolean;
}

export async function doctor(options: DoctorUseCaseOptions): Promise<DoctorResult> {
  const base = resolveOptions(options);
  const { config, file } = await configAndFile(options, base);
  const environment = options.environment ?? 'production';
  const { deploy, envFingerprints } = await withStore(options.store, base, async (store) => {
    const deploy = await deployStatus(store, environment);
    const names = Object.keys(config.services);
    const fingerprints = await Promise.all(names.map((name) => loadEnvFingerprint(store, environment, name)));
    return { deploy, envFingerprints: fingerprints.filter((f): f is EnvFingerprint => f !== undefined) };
  });
  const report = await runDoctor({
    cwd: base.cwd,
    config,
    configFile: file ?? 'opsbook.yaml',
    environment,
    ...(options.service ? { service: options.service } : {}),
    env: base.env,
    signal: base.signal,
    redactor: base.redactor,
    deploy,
    envFingerprints,
  });
  const decided = report.findings.some((f) => f.verdict !== 'skipped');
  return { report, ok: report.problems === 0 && decided };
}
