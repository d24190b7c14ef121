/** The deploy use-case: gates, migrations, the deploy in order, verification and automatic rollback, journaled. */
import { readActor } from '../actor/index.js';
import type { StackConfig } from '../config/index.js';
import {
  type DeployPlan,
  type DeployProgress,
  type DeployResult,
  isResumable,
  planFor,
  type RunDeployOptions,
  runDeploy,
  runIdOfHolder,
} from '../deploy/index.js';
import { UserError } from '../errors.js';
import { createProvider } from '../providers/index.js';
import { openStore, type Store } from '../store/index.js';
import { createMeasure } from '../verify/index.js';
import { commitInfo, readHead } from './commit-info.js';
import { type ConfigOptions, configOf, type Resolved, resolveOptions } from './context.js';
import { gateStep, migrateStep, testHooks } from './deploy-steps.js';

export interface DeployOptions extends ConfigOptions {
  /** Default: production. */
  environment?: string;
  /** Deploy only these services (default: every service of the environment). */
  services?: string[];
  /** The commit recorded for the release (default: HEAD of the git repository in `cwd`). */
  commit?: string;
  /** Follow the platform's own push-triggered deploy instead of starting one. */
  follow?: boolean;
  /** Label of the release for providers that name releases (local), e.g. v2. */
  version?: string;
  /** Continue the interrupted or paused run of the environment (`runId`, or the latest). */
  resume?: boolean;
  runId?: string;
  skipGates?: boolean;
  /** Rerun every gate instead of replaying passed results. */
  noCache?: boolean;
  /** Manual gates and `deploy.verify.confirm` questions confirmed in advance. */
  confirmed?: string[];
  /** Overrides announcements.leadTime. */
  leadTimeMs?: number;
  /** Build and return the plan only. */
  dryRun?: boolean;
  /** Asked with the plan before anything changes (not when resuming); false cancels the deploy. */
  confirm?: (plan: DeployPlan) => Promise<boolean>;
  /** Asks a person a question (manual gates, verification confirmations); absent: nobody can be asked. */
  ask?: (question: string) => Promise<boolean>;
  onProgress?: (p: DeployProgress) => void;
  /** Progress lines that are not deploy events (the migration runner's). */
  log?: (message: string) => void;
  /** The state store (default: the project's, opened and closed by this call). */
  store?: Store;
  /** Who deploys (default: OPSBOOK_ACTOR, else git user, else the OS user). */
  actor?: string;
}

/** A dry run's answer: what would happen. */
export interface DeployPlanned {
  status: 'planned';
  plan: DeployPlan;
}

export interface DeployRun extends DeployResult {
  /** When locked: how to get past the lock. */
  lockHint?: string;
}

export type DeployOutcome = DeployPlanned | DeployRun;

export async function deploy(options: DeployOptions): Promise<DeployOutcome> {
  const base = resolveOptions(options);
  // The git processes run while this thread loads the config and opens the store (compiling SQLite's WASM).
  const head = readHead(base.cwd);
  const actor = options.actor ?? readActor(base.cwd, base.env);
  const config = await configOf(options, base);
  const environment = options.environment ?? 'production';
  const store = options.store ?? (await openStore({ cwd: base.cwd, env: base.env, redactor: base.redactor }));
  try {
    const resumeRunId =
      options.resume || options.runId ? await runToResume(store, environment, options) : undefined;
    const { commit, commitRange } = await commitInfo(base.cwd, store, environment, head);
    const run: RunDeployOptions = {
      ...base,
      ...runOptions(options, base, config, store, environment, await actor),
      services: options.services ?? [],
      commit: options.commit ?? commit,
      commitRange,
      follow: options.follow || undefined,
      version: options.version,
      resumeRunId,
      ...(options.leadTimeMs !== undefined ? { leadTimeMs: options.leadTimeMs } : {}),
    };
    const plan = planFor(run);
    if (options.dryRun) return { status: 'planned', plan };
    if (!resumeRunId && options.confirm && !(await options.confirm(plan)))
      throw new UserError('deploy cancelled');
    const result = await runDeploy(run);
    return result.status === 'locked'
      ? { ...result, lockHint: await lockedHint(store, result.heldBy) }
      : result;
  } finally {
    if (!options.store) await store.close();
  }
}

async function runToResume(store: Store, environment: string, options: DeployOptions): Promise<string> {
  if (options.runId) return options.runId;
  const recent = await store.listRuns({ kind: 'deploy', environment, limit: 20 });
  const latest = recent.find((r) => ['running', 'interrupted', 'paused'].includes(r.status));
  if (!latest)
    throw new UserError(
      `no interrupted or paused deploy of ${environment} to resume`,
      "see 'opsbook log' and 'opsbook status'",
    );
  return latest.id;
}

/** Everything a run needs besides what the caller chose: providers, gates, migrations, probes. */
function runOptions(
  options: DeployOptions,
  base: Resolved,
  config: StackConfig,
  store: Store,
  environment: string,
  actor: string,
) {
  const ctx = { ...base, config, environment, actor, store, log: options.log ?? (() => {}) };
  return {
    config,
    environment,
    store,
    actor,
    providerFor: (service: Parameters<RunDeployOptions['providerFor']>[0]) =>
      createProvider(service, { cwd: base.cwd, env: base.env }),
    runGates: options.skipGates
      ? undefined
      : gateStep(ctx, {
          confirmed: options.confirmed ?? [],
          noCache: options.noCache ?? false,
          ask: options.ask,
        }),
    migrate: migrateStep(ctx),
    measure: createMeasure({
      config,
      environment,
      env: base.env,
      signal: base.signal,
      redactor: base.redactor,
    }),
    ask: options.ask,
    confirmed: options.confirmed ?? [],
    onProgress: options.onProgress,
    ...testHooks(base.env),
  };
}

/** How to get past the lock: only a deploy that was cut short can be resumed; a rollback's lock is on purpose. */
export async function lockedHint(store: Store, heldBy: DeployResult['heldBy']): Promise<string> {
  if (!heldBy?.dead) return "wait for it, or 'opsbook unlock' if you are sure it is stuck";
  const run = await store.getRun(runIdOfHolder(heldBy.holder));
  if (run && isResumable(run.status)) {
    if (run.kind === 'deploy')
      return "its process is gone: 'opsbook deploy --resume' continues it, 'opsbook unlock' releases it";
    if (run.kind === 'rollback')
      return "its process is gone: 'opsbook rollback --resume' finishes the rollback, 'opsbook unlock' releases it";
  }
  return "'opsbook unlock' releases it";
}
