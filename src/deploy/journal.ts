/**
 * The deployment journal: the run's state lives in the store's run summary and steps, written before and after
 * every side effect, so a killed run can be explained (`opsbook status`) and resumed (`deploy --resume`).
 */

import type { ProviderDeploy } from '../providers/types.js';
import type { JsonValue, RunRecord, Store } from '../store/index.js';
import type { DeployPlan } from './plan.js';

/** A person's answer to one `deploy.verify.confirm` question, recorded with who and when. */
export interface Confirmation {
  question: string;
  answer: boolean;
  by: string;
  at: string;
  via: 'prompt' | 'flag';
}

export type Phase =
  | 'planned'
  | 'locked'
  | 'gated'
  | 'migrated'
  | 'deployed'
  | 'verified'
  | 'paused'
  | 'rolling-back'
  | 'finished';

export type ServiceProgress = 'pending' | 'deploying' | 'live' | 'failed' | 'rolled-back' | 'rollback-failed';

export interface ServiceState {
  state: ServiceProgress;
  /** What served before this run: the rollback target. */
  previous: ProviderDeploy | null;
  deploy: ProviderDeploy | null;
  rollback: ProviderDeploy | null;
  successLines: string[];
  troubleLines: string[];
  reason?: string;
}

export interface DeployState {
  plan: DeployPlan;
  phase: Phase;
  /** The release label the run was started with (`--version`): a resume ships the same one. */
  version?: string;
  actor: string;
  commit: string | null;
  commitRange: { sha: string; at: string; subject: string }[];
  services: Record<string, ServiceState>;
  times: {
    requestedAt: string;
    /** When the start announcement went out: production changes no sooner than the plan's lead time after. */
    announcedAt?: string;
    liveAt?: string;
    verifiedAt?: string;
    failedAt?: string;
    restoredAt?: string;
    /** When the provider calls of a rollback returned: traffic is on the old release again. */
    trafficRestoredAt?: string;
    finishedAt?: string;
  };
  verification?: {
    outcome: string;
    reason: string;
    measurements: number;
    failed: number;
    inconclusive: number;
  };
  rollbackVerification?: { outcome: string; reason: string };
  /** What verification saw that a person should read (trouble lines, missing success lines), for the log. */
  issues?: string[];
  /** Answers to `deploy.verify.confirm`, with who and when. */
  confirmations?: Confirmation[];
  rollback?: { reason: string; automatic: boolean; decidedBy: string };
  failure?: { trigger: string; reason: string };
  /** Milliseconds during which verification saw the service down. */
  downtimeMs: number;
  announcements: { event: string; channel: string; ok: boolean; error?: string }[];
  /** Time spent outside opsbook itself: provider calls, user commands, waiting. For the overhead bench. */
  externalMs: number;
}

export interface Journal {
  readonly run: RunRecord;
  readonly state: DeployState;
  save(): Promise<void>;
  /** Saves the state and releases the environment lock in one commit. */
  saveAndRelease(lock: string, holder: string): Promise<void>;
  /**
   * A step around a side effect. Its start and its end are each written with the run's state in one commit, so a
   * caller does not save before or after it: `record` applies the result to the state before the end is written.
   */
  step<T>(
    name: string,
    work: () => Promise<T>,
    detail?: (result: T) => JsonValue,
    record?: (result: T) => void,
  ): Promise<T>;
  event(level: 'info' | 'warn' | 'error', type: string, message: string, data?: JsonValue): Promise<void>;
  finish(status: string): Promise<void>;
  /** A named point between two durable writes (`phase:deployed`, `before:deploy:api`, `after:rollback:api`). */
  checkpoint(point: string): void;
}

/**
 * `checkpoint` is told every point at which the journal is durable; the crash-matrix test kills the process
 * there (OPSBOOK_CRASH_AT) to prove every one of them resumes to the right verdict.
 */
export function createJournal(
  store: Store,
  run: RunRecord,
  state: DeployState,
  checkpoint: (point: string) => void = () => {},
): Journal {
  let savedPhase: Phase | undefined = state.phase;
  const summary = () => ({ summary: state as unknown as JsonValue });
  const phaseSaved = () => {
    if (state.phase !== savedPhase) {
      savedPhase = state.phase;
      checkpoint(`phase:${state.phase}`);
    }
  };
  const journal: Journal = {
    run,
    state,
    checkpoint,
    async save() {
      await store.updateRun(run.id, summary());
      phaseSaved();
    },
    async saveAndRelease(lock, holder) {
      await store.releaseLock(lock, holder, { id: run.id, patch: summary() });
      phaseSaved();
    },
    async step(name, work, detail, record) {
      const step = await store.addStep(run.id, { name }, summary());
      phaseSaved();
      checkpoint(`before:${name}`);
      let result: Awaited<ReturnType<typeof work>>;
      try {
        result = await work();
      } catch (error) {
        await store.updateStep(
          step.id,
          {
            status: 'failed',
            finishedAt: new Date().toISOString(),
            detail: { error: (error as Error).message },
          },
          summary(),
        );
        throw error;
      }
      record?.(result);
      await store.updateStep(
        step.id,
        { status: 'succeeded', finishedAt: new Date().toISOString(), detail: detail ? detail(result) : null },
        summary(),
      );
      checkpoint(`after:${name}`);
      phaseSaved();
      return result;
    },
    async event(level, type, message, data) {
      await store.appendEvent(run.id, { level, type, message, data });
    },
    async finish(status) {
      state.phase = 'finished';
      state.times.finishedAt = new Date().toISOString();
      await store.updateRun(run.id, {
        status,
        finishedAt: state.times.finishedAt,
        summary: state as unknown as JsonValue,
      });
    },
  };
  return journal;
}

export function readState(run: RunRecord): DeployState | undefined {
  const s = run.summary as unknown as DeployState | null;
  return s && typeof s === 'object' && 'plan' in s ? s : undefined;
}
