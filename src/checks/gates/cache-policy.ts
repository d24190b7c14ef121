/**
 * Whether a gate's passed result may be replayed, and what besides its definition and the git tree keys it. A gate
 * that reads something the tree does not hold (a person, the branch and upstream, a database, the platforms, a
 * command's unknown inputs) is rerun every time unless the config says `cache: true`.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
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
  if (gate.builtin === 'secrets') return { cache: true, key: await secretsKey(gate, ctx.cwd) };
  return { cache: true };
}

/**
 * The secrets gate reads its baseline, which lives in .opsbook/ (left out of the tree fingerprint): taking a finding
 * out of it replayed the pass it had allowed. The history scan reads every ref (`git log --all`), not the tree: a
 * fetched branch with a secret must rerun it, not only a new HEAD.
 */
async function secretsKey(gate: Gate, cwd: string): Promise<string> {
  const { DEFAULT_BASELINE } = await import('../secrets/index.js');
  const file = typeof gate.options?.baseline === 'string' ? gate.options.baseline : DEFAULT_BASELINE;
  const baseline = await readFile(resolve(cwd, file)).catch(() => 'no baseline');
  const h = createHash('sha256').update(baseline);
  if (gate.options?.history === true) h.update(`\0${await head(cwd)}\0${await refs(cwd)}`);
  return h.digest('hex');
}

async function refs(cwd: string): Promise<string> {
  try {
    return (await exec('git', ['for-each-ref', '--format=%(objectname) %(refname)'], { cwd })).stdout;
  } catch {
    return 'no-refs';
  }
}
