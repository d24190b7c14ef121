/**
 * Runs the checklist: automatic gates in parallel, then the confirmations, all recorded. A passed result is replayed
 * only where cache-policy.ts allows it, keyed on the definition, the tree and what the gate reads outside it.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { closestMatch, type Gate, type StackConfig } from '../../config/index.js';
import type { Diagnostic } from '../../diagnostics/index.js';
import { UserError } from '../../errors.js';
import type { Redactor } from '../../redact/index.js';
import type { JsonValue, Store } from '../../store/index.js';
import { builtinGates } from './builtin.js';
import { cachePolicy } from './cache-policy.js';
import { runCommandGate } from './command-gate.js';
import { runConfirmGate } from './confirm-gate.js';
import { cacheKey, inputsFingerprint, NO_INPUT_FILES } from './fingerprint.js';
import { type GateContext, type GateOutcome, type GateResult, gateKind, gateName } from './types.js';

export interface RunChecksOptions {
  cwd: string;
  config: StackConfig;
  configFile?: string;
  environment: string;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  redactor: Redactor;
  actor: string;
  store?: Store;
  only?: string[];
  confirm?: string[];
  noCache?: boolean;
  concurrency?: number;
  ask?: (question: string) => Promise<boolean>;
  /** Called as gates start and finish, for live progress. */
  onUpdate?: (update: { gate: string; state: 'running' | 'done'; result?: GateResult }) => void;
}

export interface CheckResult {
  runId: string | null;
  environment: string;
  passed: boolean;
  startedAt: string;
  durationMs: number;
  gates: GateResult[];
}

export function selectGates(config: StackConfig, environment: string, only: string[] = []): Gate[] {
  const all = config.gates.filter((g) => !g.environments || g.environments.includes(environment));
  for (const id of only)
    if (!config.gates.some((g) => g.id === id)) {
      const guess = closestMatch(
        id,
        config.gates.map((g) => g.id),
      );
      throw new UserError(
        `unknown gate '${id}'`,
        guess ? `did you mean '${guess}'?` : `gates: ${config.gates.map((g) => g.id).join(', ')}`,
      );
    }
  return only.length ? all.filter((g) => only.includes(g.id)) : all;
}

/**
 * `check --confirm ID` names confirmation gates only: a typo was ignored, and the gate meant then failed asking for
 * the very flag that was given. (A deploy's --confirm also answers its verify-N questions, so it is not checked here.)
 */
export function checkConfirmed(config: StackConfig, confirm: readonly string[]): void {
  const questions = config.gates.filter((g) => gateKind(g) === 'confirm').map((g) => g.id);
  for (const id of confirm) {
    if (questions.includes(id)) continue;
    const gate = config.gates.find((g) => g.id === id);
    if (gate)
      throw new UserError(
        `--confirm ${id}: gate '${id}' is not a confirmation (it ${gateKind(gate) === 'command' ? 'runs a command' : 'is a built-in check'})`,
        questions.length
          ? `confirmation gates: ${questions.join(', ')}`
          : 'the config has no confirmation gate',
      );
    const guess = closestMatch(id, questions);
    throw new UserError(
      `--confirm ${id}: there is no gate '${id}'`,
      guess ? `did you mean '${guess}'?` : `confirmation gates: ${questions.join(', ') || 'none'}`,
    );
  }
}

function inputsMatchNothing(gate: Gate, config: StackConfig): Diagnostic {
  const inputs = gate.inputs ?? [];
  return {
    severity: 'warning',
    code: 'gate/inputs-match-nothing',
    message: `gate '${gate.id}': its inputs (${inputs.join(', ')}) match no file, so its result is not cached: it runs every time`,
    hint: `inputs are paths or globs from the folder opsbook runs in, not from the gate's cwd${gate.cwd ? `: e.g. ${gate.cwd.replace(/\/+$/, '')}/${inputs[0] ?? 'src/**'}` : ''}`,
    location: { path: `gates[${config.gates.indexOf(gate)}].inputs` },
  };
}

async function runOne(gate: Gate, ctx: GateContext): Promise<GateOutcome> {
  const kind = gateKind(gate);
  if (kind === 'command') return runCommandGate(gate, ctx);
  if (kind === 'confirm') return runConfirmGate(gate, ctx);
  const builtin = builtinGates[gate.builtin!];
  return builtin(gate, ctx);
}

async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: Math.min(limit, queue.length) }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
    }),
  );
}

export async function runChecks(options: RunChecksOptions): Promise<CheckResult> {
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  const gates = selectGates(options.config, options.environment, options.only);
  const run = await options.store?.createRun({
    kind: 'check',
    environment: options.environment,
    actor: options.actor,
  });
  const logDir = join(options.cwd, '.opsbook', 'logs', run?.id ?? `check-${started}`);
  const ctx: GateContext = {
    cwd: options.cwd,
    config: options.config,
    configFile: options.configFile,
    environment: options.environment,
    env: options.env,
    signal: options.signal,
    redactor: options.redactor,
    logDir,
    actor: options.actor,
    confirmed: new Set(options.confirm ?? []),
    ask: options.ask,
  };
  const fingerprints = new Map<string, Promise<string>>();
  const fingerprint = (g: Gate) => {
    const k = JSON.stringify(g.inputs ?? null);
    if (!fingerprints.has(k)) fingerprints.set(k, inputsFingerprint(options.cwd, g.inputs));
    return fingerprints.get(k)!;
  };
  const results = new Map<string, GateResult>();

  const execute = async (gate: Gate) => {
    options.onUpdate?.({ gate: gate.id, state: 'running' });
    const t0 = Date.now();
    const kind = gateKind(gate);
    const base = { id: gate.id, name: gateName(gate), kind, required: gate.required };
    const step = await options.store?.addStep(run!.id, { name: gate.id });
    const policy = await cachePolicy(gate, ctx);
    const print = policy.cache ? await fingerprint(gate) : undefined;
    // Inputs that match nothing key nothing: a cached pass would be replayed whatever the command reads changed.
    const unkeyed = print === NO_INPUT_FILES;
    const key =
      policy.cache && print !== undefined && !unkeyed
        ? cacheKey(gate, options.environment, print, policy.key)
        : undefined;
    const hit =
      key && !options.noCache
        ? ((await options.store?.getCache(key)) as unknown as GateResult | undefined)
        : undefined;
    let result: GateResult;
    if (hit && hit.status === 'passed') {
      result = { ...hit, cached: true, cachedAt: hit.cachedAt ?? undefined, durationMs: Date.now() - t0 };
    } else {
      let outcome: GateOutcome;
      try {
        outcome = await runOne(gate, ctx);
      } catch (error) {
        if (error instanceof UserError)
          outcome = { status: 'failed', summary: error.message + (error.hint ? ` (${error.hint})` : '') };
        else throw error;
      }
      result = { ...base, ...outcome, cached: false, durationMs: Date.now() - t0 };
      if (unkeyed)
        result.diagnostics = [...(result.diagnostics ?? []), inputsMatchNothing(gate, options.config)];
      if (key && result.status === 'passed')
        await options.store?.putCache(key, {
          ...result,
          cachedAt: new Date().toISOString(),
        } as unknown as JsonValue);
    }
    results.set(gate.id, result);
    if (step)
      await options.store?.updateStep(step.id, {
        status: result.status === 'passed' ? 'succeeded' : result.status,
        finishedAt: new Date().toISOString(),
        detail: {
          summary: result.summary,
          cached: result.cached,
          evidence: result.evidence ?? null,
          logFile: result.logFile ?? null,
        } as JsonValue,
      });
    options.onUpdate?.({ gate: gate.id, state: 'done', result });
  };

  const automatic = gates.filter((g) => gateKind(g) !== 'confirm');
  await pool(automatic, options.concurrency ?? availableParallelism(), execute);
  // Confirmations come last and one at a time: a person answers them, not interleaved with progress.
  for (const g of gates.filter((g) => gateKind(g) === 'confirm')) await execute(g);

  const ordered = gates.map((g) => results.get(g.id)!);
  // A run of no gates checked nothing: it is not a pass (a push hook or CI step must not go green on it).
  const passed = ordered.length > 0 && ordered.every((r) => r.status !== 'failed' || !r.required);
  if (run)
    await options.store?.updateRun(run.id, {
      status: passed ? 'succeeded' : 'failed',
      finishedAt: new Date().toISOString(),
      summary: { gates: ordered.map((r) => ({ id: r.id, status: r.status, cached: r.cached })) } as JsonValue,
    });
  return {
    runId: run?.id ?? null,
    environment: options.environment,
    passed,
    startedAt,
    durationMs: Date.now() - started,
    gates: ordered,
  };
}
