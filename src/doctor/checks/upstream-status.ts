/**
 * The platform's own status page, in the failing-health chain: when a service fails, is its provider (or an
 * API it calls) down for everyone? Each configured upstream covering the services in scope is read through
 * the Statuspage v2 client the upstream monitors use. An outage there while our service fails is named
 * before the failing endpoint itself (which is then its symptom); an unreadable page is never an ok.
 */
import type { Upstream } from '../../config/index.js';
import { readStatuspage, upstreamName, upstreamState } from '../../upstream/index.js';
import { type DoctorCheck, type DoctorContext, type Finding, RANK } from '../types.js';

async function readOne(ctx: DoctorContext, u: Upstream, index: number): Promise<Finding> {
  const name = upstreamName(u);
  const scope = ctx.services.map((s) => s.name).filter((s) => !u.services || u.services.includes(s));
  const failing = ctx.health.services
    .filter((s) => scope.includes(s.service) && s.state !== 'healthy')
    .map((s) => s.service);
  const looked = `${name}'s status page (${u.statusPage}) for ${scope.join(', ')}`;
  const read = await readStatuspage(u.statusPage, { signal: ctx.signal, timeoutMs: 10_000 });
  if (!read.ok)
    return {
      check: 'upstream',
      verdict: 'warning',
      rank: RANK.upstream,
      looked,
      found: `could not tell whether ${name} is up: ${read.error}`,
      fix: `check upstreams[${index}].statusPage: it must be a Statuspage page answering /api/v2/summary.json`,
    };
  const state = upstreamState(name, read.summary, u.components);
  const details = read.summary.incidents.map(
    (i) =>
      `${name} incident: ${i.name} (${i.status}, impact ${i.impact})${i.shortlink ? ` ${i.shortlink}` : ''}`,
  );
  if (state.outcome === 'up')
    return {
      check: 'upstream',
      verdict: 'ok',
      rank: RANK.upstream,
      looked,
      found: `${name} reports ${u.components?.length ? u.components.join(', ') : 'its components'} operational${failing.length ? `: the cause of ${failing.join(', ')} failing is on our side` : ''}`,
      ...(details.length ? { details } : {}),
    };
  return {
    check: 'upstream',
    verdict: failing.length ? 'problem' : 'warning',
    rank: RANK.upstream,
    looked,
    found: state.message,
    fix: failing.length
      ? `${name} itself is down for everyone: ${failing.join(', ')} fail${failing.length > 1 ? '' : 's'} with it. Follow ${read.summary.url}; a rollback will not help, wait for ${name} or fail over`
      : `${name} reports trouble but ${scope.join(', ')} still answer: watch ${read.summary.url}`,
    ...(details.length ? { details } : {}),
  };
}

export const upstreamStatusCheck: DoctorCheck = {
  name: 'upstream',
  async run(ctx) {
    const inScope = new Set(ctx.services.map((s) => s.name));
    const relevant = ctx.config.upstreams
      .map((u, i) => ({ u, i }))
      .filter(({ u }) => !u.services || u.services.some((s) => inScope.has(s)));
    return Promise.all(relevant.map(({ u, i }) => readOne(ctx, u, i)));
  },
};
