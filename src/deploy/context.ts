/** What a deployment run works with: the config, the store, providers, and the I/O the run is given. */
import type { ResolvedService, StackConfig } from '../config/index.js';
import type { Provider } from '../providers/types.js';
import type { Redactor } from '../redact/index.js';
import type { Store } from '../store/index.js';
import type { CheckOutcome, VerifyTarget } from '../verify/index.js';

export type { VerifyTarget };

export type DeployProgress =
  | { type: 'phase'; phase: string; message: string }
  | { type: 'service'; service: string; message: string }
  | { type: 'log'; service: string; line: string; kind: 'success' | 'trouble' | 'plain' }
  | { type: 'measurement'; index: number; count: number; outcome: string; detail: string };

export interface RunDeployOptions {
  cwd: string;
  config: StackConfig;
  environment: string;
  store: Store;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  redactor: Redactor;
  actor: string;
  providerFor: (service: ResolvedService) => Provider;
  services?: string[];
  commit?: string | null;
  commitRange?: { sha: string; at: string; subject: string }[];
  follow?: boolean;
  /** Label of the release for providers that name releases (local), e.g. v2. */
  version?: string;
  releaseEnv?: Record<string, string>;
  /** Runs the pre-deploy gates; absent or returning passed: true lets the deploy go on. */
  runGates?: (gateIds: string[]) => Promise<{ passed: boolean; summary: string }>;
  migrate?: () => Promise<{ ok: boolean; summary: string }>;
  /** Measures the released services once (health endpoints, smoke requests). */
  measure: (targets: VerifyTarget[]) => Promise<CheckOutcome[]>;
  ask?: (question: string) => Promise<boolean>;
  /** `--confirm` values: answers `deploy.verify.confirm` questions (verify-N or the text) where nobody can be asked. */
  confirmed?: string[];
  onProgress?: (p: DeployProgress) => void;
  fetch?: typeof fetch;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** How often a platform deploy is polled. */
  pollMs?: number;
  /** How long a finished run waits for announcements still in flight (default 5 s). */
  announceGraceMs?: number;
  /** Overrides announcements.leadTime: how long after the start announcement production may change. */
  leadTimeMs?: number;
  /** Continue this interrupted or paused run instead of starting one. */
  resumeRunId?: string;
  /** Told each durable point of the journal (see `Journal.checkpoint`); the crash tests stop the process there. */
  checkpoint?: (point: string) => void;
}
