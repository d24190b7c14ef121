/**
 * The `secret-age` check: days since each secret of the env contract (`secret: true`) was last rotated, per service
 * and environment, from the env fingerprints verified deploys record (a value that changed between two verified
 * deploys was rotated at the later one). Fails, naming the variables and never a value, when one is older than
 * `maxAgeDays` (default 90). A secret opsbook has no dated record of is "cannot tell" with the reason.
 */
import { resolveEnvironment } from '../../config/index.js';
import { type EnvFingerprint, loadEnvFingerprint } from '../../env-fingerprint/index.js';
import type { Evidence, Finding } from '../types.js';
import type { CheckContext } from './context.js';

export const DEFAULT_MAX_AGE_DAYS = 90;
const DAY = 86_400_000;

export interface SecretAge {
  environment: string;
  service: string;
  name: string;
  state: 'ok' | 'old' | 'unknown';
  /** Whole days since the rotation (or, when not `rotated`, at least this many). */
  days?: number;
  since?: string;
  rotated?: boolean;
  runId?: string;
  reason?: string;
}

function ageOf(
  f: EnvFingerprint | undefined,
  name: string,
  now: number,
  max: number,
): Omit<SecretAge, 'environment' | 'service' | 'name'> {
  if (!f)
    return {
      state: 'unknown',
      reason: "no verified deploy by opsbook has recorded this service's env here",
    };
  if (!(name in f.vars))
    return { state: 'unknown', reason: `not set on the platform at the last verified deploy (${f.runId})` };
  if (f.vars[name] === null)
    return { state: 'unknown', reason: 'the platform never returns its value, so a rotation cannot be seen' };
  const s = f.since?.[name] ?? { runId: f.runId, at: f.recordedAt, rotated: false };
  const days = Math.floor((now - Date.parse(s.at)) / DAY);
  const base = { days, since: s.at, rotated: s.rotated, runId: s.runId };
  if (days > max) return { ...base, state: 'old' };
  if (s.rotated) return { ...base, state: 'ok' };
  return {
    ...base,
    state: 'unknown',
    reason: `unchanged since opsbook first recorded it (${s.at.slice(0, 10)}, deploy ${s.runId}); when it was set before that is not known`,
  };
}

function message(a: SecretAge, max: number): string {
  const where = `${a.name} of ${a.service} (${a.environment})`;
  if (a.state === 'unknown')
    return `${where}: cannot tell${a.days !== undefined ? ` (at least ${a.days} day(s))` : ''}: ${a.reason}`;
  const age = `${a.rotated ? '' : 'at least '}${a.days} day(s) since ${a.rotated ? 'its last rotation' : 'it was first recorded'} (${a.since?.slice(0, 10)}, deploy ${a.runId})`;
  return a.state === 'old'
    ? `${where}: ${age}, more than ${max}. Fix: rotate it on the platform, then deploy so opsbook records it`
    : `${where}: ${age}`;
}

export async function secretAgeCheck(ctx: CheckContext): Promise<Evidence> {
  const max = ctx.task.maxAgeDays ?? DEFAULT_MAX_AGE_DAYS;
  const secrets: { environment: string; service: string; name: string }[] = [];
  for (const environment of Object.keys(ctx.config.environments))
    for (const s of resolveEnvironment(ctx.config, environment)) {
      if (ctx.task.service && s.name !== ctx.task.service) continue;
      for (const [name, spec] of Object.entries(s.env))
        if (spec.secret) secrets.push({ environment, service: s.name, name });
    }
  if (!secrets.length)
    return {
      ok: false,
      summary: `cannot tell: the env contract declares no secret (secret: true)${ctx.task.service ? ` for ${ctx.task.service}` : ''}`,
      findings: [],
    };
  if (!ctx.store)
    return { ok: false, summary: 'cannot tell: no store to read the deploy records from', findings: [] };
  const store = ctx.store;
  const fingerprints = new Map<string, Promise<EnvFingerprint | undefined>>();
  const load = (environment: string, service: string) => {
    const key = `${environment}\0${service}`;
    if (!fingerprints.has(key)) fingerprints.set(key, loadEnvFingerprint(store, environment, service));
    return fingerprints.get(key)!;
  };
  const now = ctx.now.getTime();
  const ages: SecretAge[] = await Promise.all(
    secrets.map(async (s) => ({ ...s, ...ageOf(await load(s.environment, s.service), s.name, now, max) })),
  );
  const findings: Finding[] = ages.map((a) => ({
    severity: a.state === 'ok' ? 'info' : 'warning',
    message: message(a, max),
  }));
  const old = ages.filter((a) => a.state === 'old').length;
  const unknown = ages.filter((a) => a.state === 'unknown').length;
  const parts = [
    old ? `${old} of ${ages.length} secret(s) older than ${max} days` : '',
    unknown ? `cannot tell the age of ${unknown} of ${ages.length} secret(s)` : '',
  ].filter(Boolean);
  return {
    ok: !old && !unknown,
    summary: parts.length ? parts.join('; ') : `${ages.length} secret(s) rotated within ${max} days`,
    findings,
    data: ages,
  };
}
