/** Credentials and reachability of every platform provider: the cheapest call that needs the token (recent deploys). */
import { ProviderError, UserError } from '../../errors.js';
import { createProviderContext } from '../../providers/index.js';
import { type DoctorCheck, type Finding, RANK } from '../types.js';

const PLATFORMS = new Set(['render', 'vercel', 'railway', 'fly', 'heroku', 'netlify']);

export const providersCheck: DoctorCheck = {
  name: 'credentials',
  async run(ctx) {
    const pctx = createProviderContext({
      cwd: ctx.cwd,
      env: ctx.env,
      signal: ctx.signal,
      redactor: ctx.redactor,
    });
    const platformServices = ctx.services.filter((s) => PLATFORMS.has(s.provider?.type ?? ''));
    return Promise.all(
      platformServices.map(async (service): Promise<Finding> => {
        const type = service.provider!.type;
        const base = {
          check: 'credentials',
          service: service.name,
          rank: RANK.credentials,
          looked: `the ${type} API with ${service.name}'s token`,
        };
        try {
          const deploys = await ctx.providerFor(service).listDeploys(pctx, { limit: 1 });
          const last = deploys[0];
          return {
            ...base,
            verdict: 'ok',
            found: `token accepted${last ? `; last deploy ${last.id} is ${last.state} (${last.createdAt})` : '; no deploys yet'}`,
          };
        } catch (error) {
          if (error instanceof UserError)
            return {
              ...base,
              verdict: 'problem',
              found: error.message,
              ...(error.hint ? { fix: error.hint } : {}),
            };
          if (error instanceof ProviderError) {
            const rejected = error.status === 401 || error.status === 403;
            return {
              ...base,
              verdict: rejected ? 'problem' : 'warning',
              found: rejected
                ? `the token is rejected (HTTP ${error.status})`
                : `the API did not answer usefully: ${error.message}`,
              fix: rejected
                ? `create a new token on ${type} and update the variable opsbook reads (see provider.token in opsbook.yaml)`
                : `retry; if it persists, check ${type}'s status page`,
            };
          }
          throw error;
        }
      }),
    );
  },
};
