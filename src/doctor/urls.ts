/** Every URL of the environment a person or browser reaches: service URLs, the environment URL, absolute endpoints. */
import type { DoctorContext } from './types.js';

export interface KnownUrl {
  url: URL;
  service?: string;
}

export function knownUrls(ctx: DoctorContext): KnownUrl[] {
  const found: KnownUrl[] = [];
  const add = (text: string | undefined, service?: string) => {
    if (!text) return;
    try {
      found.push({ url: new URL(text), ...(service ? { service } : {}) });
    } catch {
      // Not a URL (validate reports it); nothing to resolve or connect to.
    }
  };
  add(ctx.config.environments[ctx.environment]?.url);
  for (const s of ctx.services) {
    add(s.url, s.name);
    for (const h of s.health) add(h.url, s.name);
  }
  return found;
}

export { isIpLiteral } from '../tls/certificate.js';
