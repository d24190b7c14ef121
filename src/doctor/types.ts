/** What a doctor check reports: what it looked at, what it found, what to do, and how likely it is the cause. */
import type { ResolvedService, StackConfig } from '../config/index.js';
import type { EnvFingerprint } from '../env-fingerprint/index.js';
import type { HealthReport } from '../health/index.js';
import type { Provider } from '../providers/index.js';
import type { Redactor } from '../redact/index.js';

export type Verdict = 'problem' | 'warning' | 'ok' | 'skipped';

export interface Finding {
  /** The check's name: `tls`, `database`, `cors`, ... */
  check: string;
  service?: string;
  verdict: Verdict;
  /** Lower is more likely the cause: root causes (a database down, an expired certificate) before their symptoms. */
  rank: number;
  looked: string;
  found: string;
  fix?: string;
  details?: string[];
}

/** Ranks: what breaks everything downstream comes first. */
export const RANK = {
  reachability: 10,
  credentials: 15,
  envDrift: 20,
  cors: 25,
  deployState: 30,
  /** The platform's own status page reports an outage: the cause of a failing health endpoint, not a symptom. */
  upstream: 35,
  health: 40,
  /** A failing endpoint whose critical dependency is down: a symptom. */
  symptom: 45,
  liveState: 50,
  info: 70,
} as const;

export interface DoctorDeployState {
  lock: { holder: string; reason: string | null; since: string; processGone: boolean } | null;
  lastRun: { id: string; kind: string; status: string; startedAt: string; stoppedAt: string | null } | null;
}

export interface DoctorContext {
  cwd: string;
  config: StackConfig;
  configFile: string;
  environment: string;
  services: ResolvedService[];
  /** Only this service (and what it depends on) when asked for. */
  service?: string;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  redactor: Redactor;
  health: HealthReport;
  deploy?: DoctorDeployState;
  /** The env fingerprints of the last verified deploys (from the store), for drift by hash. */
  envFingerprints?: EnvFingerprint[];
  providerFor: (service: ResolvedService) => Provider;
  now: () => number;
}

export interface DoctorCheck {
  name: string;
  run(ctx: DoctorContext): Promise<Finding[]>;
}
