/** DNS: every host name of the environment's URLs resolves (a typo or an expired domain fails everything after). */
import { lookup } from 'node:dns/promises';
import { type DoctorCheck, type Finding, RANK } from '../types.js';
import { isIpLiteral, knownUrls } from '../urls.js';

export const dnsCheck: DoctorCheck = {
  name: 'dns',
  async run(ctx) {
    const hosts = new Map<string, string | undefined>();
    for (const { url, service } of knownUrls(ctx)) {
      if (!isIpLiteral(url.hostname) && url.hostname !== 'localhost' && !hosts.has(url.hostname))
        hosts.set(url.hostname, service);
    }
    return Promise.all(
      [...hosts].map(async ([host, service]): Promise<Finding> => {
        const base = {
          check: 'dns',
          ...(service ? { service } : {}),
          rank: RANK.reachability,
          looked: `the DNS name ${host}`,
        };
        try {
          const addresses = await lookup(host, { all: true });
          return {
            ...base,
            verdict: 'ok',
            found: `resolves to ${addresses.map((a) => a.address).join(', ')}`,
          };
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code ?? String(error);
          return {
            ...base,
            verdict: 'problem',
            found: `does not resolve (${code})`,
            fix: `check the spelling of ${host} in opsbook.yaml and the domain's DNS records (and that the domain has not expired)`,
          };
        }
      }),
    );
  },
};
