/**
 * The `certificates` check: the TLS certificate of every https URL the config names (service URLs of every
 * environment, their health endpoints, environment URLs), failing when one expires within `expiresWithinDays`
 * (default 14), has expired, does not name its host, is untrusted or cannot be read. No https URL: it cannot tell.
 */
import { readFileSync } from 'node:fs';
import { resolveEnvironment } from '../../config/index.js';
import { fetchCertificate, judgeCertificate } from '../../tls/certificate.js';
import type { Evidence, Finding } from '../types.js';
import type { CheckContext } from './context.js';

export const DEFAULT_EXPIRES_WITHIN_DAYS = 14;

/** host:port → where the config names it, e.g. `api (production)`. */
function httpsHosts(ctx: CheckContext): Map<string, string> {
  const hosts = new Map<string, string>();
  const add = (text: string | undefined, where: string) => {
    if (!text) return;
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return; // not a URL: validate reports it
    }
    if (url.protocol !== 'https:') return;
    const key = `${url.hostname}:${url.port || 443}`;
    if (!hosts.has(key)) hosts.set(key, where);
  };
  for (const [environment, e] of Object.entries(ctx.config.environments)) {
    if (!ctx.task.service) add(e.url, environment);
    for (const s of resolveEnvironment(ctx.config, environment)) {
      if (ctx.task.service && s.name !== ctx.task.service) continue;
      add(s.url, `${s.name} (${environment})`);
      for (const h of s.health) add(h.url, `${s.name} (${environment})`);
    }
  }
  return hosts;
}

/** NODE_EXTRA_CA_CERTS of the check's environment: an internal CA the services' certificates chain to. */
function extraCa(env: NodeJS.ProcessEnv): string | undefined {
  const file = env.NODE_EXTRA_CA_CERTS;
  if (!file) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

export async function certificatesCheck(ctx: CheckContext): Promise<Evidence> {
  const hosts = httpsHosts(ctx);
  if (!hosts.size)
    return {
      ok: false,
      summary:
        'cannot tell: the config names no https URL (services urls, health endpoints, environment urls)',
      findings: [],
    };
  const days = ctx.task.expiresWithinDays ?? DEFAULT_EXPIRES_WITHIN_DAYS;
  const ca = extraCa(ctx.env);
  const results = await Promise.all(
    [...hosts].map(async ([key, where]) => {
      const host = key.slice(0, key.lastIndexOf(':'));
      const port = Number(key.slice(key.lastIndexOf(':') + 1));
      const peer = await fetchCertificate(host.replace(/^\[|\]$/g, ''), port, ca);
      return {
        host: key,
        where,
        ...judgeCertificate(host, port, peer, ctx.now.getTime(), days * 86_400_000),
      };
    }),
  );
  const findings: Finding[] = results.map((r) => ({
    severity: r.state === 'ok' ? 'info' : 'warning',
    message: `${r.host} (${r.where}): ${r.found}${r.fix ? `. Fix: ${r.fix}` : ''}`,
  }));
  const bad = results.filter((r) => r.state !== 'ok');
  const unreadable = bad.filter((r) => r.state === 'unreachable').length;
  return {
    ok: bad.length === 0,
    summary: bad.length
      ? `${bad.length} of ${results.length} certificate(s) need attention${unreadable ? ` (${unreadable} could not be read)` : ''}`
      : `${results.length} certificate(s) valid for more than ${days} days and matching their host`,
    findings,
    data: results,
  };
}
