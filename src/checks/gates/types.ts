/** The pre-deploy gates' shapes: what a gate gets to run with and the evidence it leaves. */
import type { Gate, StackConfig } from '../../config/index.js';
import type { Diagnostic } from '../../diagnostics/index.js';
import type { Redactor } from '../../redact/index.js';

export type GateKind = 'command' | 'builtin' | 'confirm';
export type GateStatus = 'passed' | 'failed' | 'skipped';

export interface GateContext {
  cwd: string;
  config: StackConfig;
  /** The config file as loaded, relative to cwd (env files are found beside it). */
  configFile?: string;
  environment: string;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  redactor: Redactor;
  /** Where each gate's full output is kept. */
  logDir: string;
  /** Who is running the check (recorded with confirmations). */
  actor: string;
  /** Gate ids confirmed on the command line (`--confirm ID`). */
  confirmed: ReadonlySet<string>;
  /** Asks a person; absent when nobody can answer (CI, no terminal). */
  ask?: (question: string) => Promise<boolean>;
}

/** What one gate found. `evidence` is what the printable checklist shows next to the tick. */
export interface GateOutcome {
  status: GateStatus;
  summary: string;
  evidence?: Record<string, string | number | boolean | null>;
  diagnostics?: Diagnostic[];
  logFile?: string;
  /** The last lines of output, shown when it failed. */
  tail?: string;
}

export interface GateResult extends GateOutcome {
  id: string;
  name: string;
  kind: GateKind;
  required: boolean;
  durationMs: number;
  /** Replayed from an earlier run on the same inputs. */
  cached: boolean;
  cachedAt?: string;
}

export type BuiltinGate = (gate: Gate, ctx: GateContext) => Promise<GateOutcome>;

export function gateKind(gate: Gate): GateKind {
  return gate.run !== undefined ? 'command' : gate.builtin !== undefined ? 'builtin' : 'confirm';
}

export function gateName(gate: Gate): string {
  return gate.name ?? gate.confirm ?? gate.run ?? gate.builtin ?? gate.id;
}
