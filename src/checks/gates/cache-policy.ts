/**
 * Whether a gate's passed result may be replayed, and what besides its definition and the git tree keys it. A gate
 * that reads something the tree does not hold (a person, the branch and upstream, a database, the platforms, a
 * command's unknown inputs) is rerun every time unless the config says `cache: true`.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Gate } from '../../config/index.js';
import { type GateContext, gateKind } from './types.js';

const exec = promisify(execFile);

export type CachePolicy =
  /** `key`: what the gate reads outside the tree, hashed (never a value), added to its cache key. */
  { cache: true; key?: string } | { cache: false; reason: string };

type PolicyContext = Pick<GateContext, 'cwd' | 'config' | 'configFile' | 'environment' | 'env'>;

/** Why a gate is live by default, or undefined when it reads only files of the tree. */
function liveReason(gate: Gate, ctx: PolicyContext): string | undefined {
  const kind = gateKind(gate);
  if (kind === 'confirm') return 'a person answers it on each run';
  if (kind === 'command') return gate.inputs ? undefined : 'a command without declared inputs';
  if (gate.builtin === 'git') return 'it reads the branch and the upstream';
  if (gate.builtin === 'env' && gate.options?.from === 'provider') return 'it reads each platform';
  if (gate.builtin === 'migrations') {
    const urlEnv = ctx.config.migrations?.urlEnv ?? 'DATABASE_URL';
    if (ctx.config.migrations && ctx.env[urlEnv]) return 'it plans against the database';
  }
  return undefined;
}

async function head(cwd: string): Promise<string> {
  try {
    return (await exec('git', ['rev-parse', 'HEAD'], { cwd })).stdout.trim();
  } catch {
    return 'no-head';
  }
}

export async function cachePolicy(gate: Gate, ctx: PolicyContext): Promise<CachePolicy> {
  if (gate.cache === false) return { cache: false, reason: 'cache: false' };
  const live = liveReason(gate, ctx);
  if (live && gate.cache !== true) return { cache: false, reason: live };
  if (gate.builtin === 'env') {
    const from = typeof gate.options?.from === 'string' ? gate.options.from : undefined;
    const { envValuesFingerprint } = await import('../env/index.js');
    try {
      const key = await envValuesFingerprint({
        cwd: ctx.cwd,
        config: ctx.config,
        configFile: ctx.configFile ?? 'opsbook.yaml',
        environment: ctx.environment,
        from,
        env: ctx.env,
      });
      return { cache: true, key: key ?? 'provider' };
    } catch {
      // The source cannot be read (a missing env file): the gate runs and says why.
      return { cache: false, reason: 'its values could not be read' };
    }
  }
  // The history scan reads commits, not the tree: the commit keys it too.
  if (gate.builtin === 'secrets' && gate.options?.history === true)
    return { cache: true, key: await head(ctx.cwd) };
  return { cache: true };
}
