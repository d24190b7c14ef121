/** TLS: each https host's certificate, its expiry and whether it names the host (what a browser refuses). */
import { fetchCertificate, judgeCertificate } from '../../tls/certificate.js';
import { type DoctorCheck, type Finding, RANK } from '../types.js';
import { knownUrls } from '../urls.js';

const SOON_MS = 14 * 24 * 3_600_000;

export const tlsCheck: DoctorCheck = {
  name: 'tls',
  async run(ctx) {
    const seen = new Map<string, string | undefined>();
    for (const { url, service } of knownUrls(ctx)) {
      if (url.protocol !== 'https:') continue;
      const key = `${url.hostname}:${url.port || 443}`;
      if (!seen.has(key)) seen.set(key, service);
    }
    const findings = await Promise.all(
      [...seen].map(async ([key, service]): Promise<Finding> => {
        const host = key.slice(0, key.lastIndexOf(':'));
        const port = Number(key.slice(key.lastIndexOf(':') + 1));
        const peer = await fetchCertificate(host.replace(/^\[|\]$/g, ''), port);
        const v = judgeCertificate(host, port, peer, ctx.now(), SOON_MS);
        return {
          check: 'tls',
          ...(service ? { service } : {}),
          looked: `the TLS certificate of ${key}`,
          verdict: v.state === 'ok' ? 'ok' : v.state === 'expiring' ? 'warning' : 'problem',
          rank: RANK.reachability,
          found: v.found,
          ...(v.fix ? { fix: v.fix } : {}),
        };
      }),
    );
    return findings;
  },
};
