/**
 * CORS: a real preflight from each frontend's origin to each API it depends on, and what the server answered
 * against what the browser needs (its origin or `*`, the method, the headers).
 */
import { plainNetworkError } from '../../probes/network-words.js';
import { type DoctorCheck, type Finding, RANK } from '../types.js';

const METHOD = 'POST';
const HEADERS = 'content-type,authorization';
/** The env var an API usually reads its allowed origins from. */
const ORIGIN_VAR = /CORS|ORIGIN|FRONTEND_URL|CLIENT_URL|APP_URL|WEB_URL/i;

export const corsCheck: DoctorCheck = {
  name: 'cors',
  async run(ctx) {
    const findings: Finding[] = [];
    for (const front of ctx.services) {
      if (!front.url || !['static', 'web'].includes(front.kind)) continue;
      for (const dep of front.dependencies) {
        const api = ctx.services.find((s) => s.name === dep.service);
        if (!api?.url || api.kind !== 'web' || api.name === front.name) continue;
        const origin = new URL(front.url).origin;
        if (new URL(api.url).origin === origin) continue;
        const path = api.health.find((h) => h.path)?.path ?? '/';
        const target = new URL(path, api.url).toString();
        const base = {
          check: 'cors',
          service: api.name,
          rank: RANK.cors,
          looked: `a preflight OPTIONS ${target} from ${origin} (${front.name}) asking for ${METHOD} with ${HEADERS}`,
        };
        let response: Response;
        try {
          response = await fetch(target, {
            method: 'OPTIONS',
            headers: {
              origin,
              'access-control-request-method': METHOD,
              'access-control-request-headers': HEADERS,
            },
            signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(5_000)]),
          });
          await response.arrayBuffer();
        } catch (error) {
          findings.push({
            ...base,
            verdict: 'skipped',
            found: `no answer (${plainNetworkError(error)}); the health check says why`,
          });
          continue;
        }
        const allowed = response.headers.get('access-control-allow-origin');
        const methods = response.headers.get('access-control-allow-methods');
        const variable = Object.keys(api.env).find((k) => ORIGIN_VAR.test(k));
        const setIt = variable
          ? `set ${variable} on ${api.name} to include ${origin}`
          : `add ${origin} to the allowed origins of ${api.name}'s CORS settings`;
        if (!allowed) {
          findings.push({
            ...base,
            verdict: 'problem',
            found: `HTTP ${response.status} without Access-Control-Allow-Origin; the browser at ${origin} blocks every call to ${api.name}`,
            fix: `${setIt} (and answer OPTIONS with 204 and the CORS headers)`,
          });
        } else if (allowed !== '*' && allowed !== origin) {
          findings.push({
            ...base,
            verdict: 'problem',
            found: `the server allows origin ${allowed}, the browser at ${origin} needs ${origin} (or *)`,
            fix: setIt,
          });
        } else if (
          methods &&
          methods !== '*' &&
          !methods
            .toUpperCase()
            .split(/\s*,\s*/)
            .includes(METHOD)
        ) {
          findings.push({
            ...base,
            verdict: 'warning',
            found: `origin allowed, but Access-Control-Allow-Methods is '${methods}' without ${METHOD}`,
            fix: `allow ${METHOD} in ${api.name}'s CORS settings`,
          });
        } else {
          findings.push({
            ...base,
            verdict: 'ok',
            found: `allows ${allowed}${methods ? ` for ${methods}` : ''}`,
          });
        }
      }
    }
    return findings;
  },
};
