import { describe, expect, it } from 'vitest';
import { setup } from '../../test/support/deploy/setup.js';
import { validateConfigText } from '../config/validate.js';
import { createProviderContext } from '../providers/context.js';
import { lockName } from './locks.js';
import { rollbackEnvironment } from './manual-rollback.js';
import { runDeploy } from './run-deploy.js';

// aria's runbook stack: staging names the same Render service and Vercel project as production.
const YAML = (stagingOverride = '') => `name: shop
environments: { production: {}, staging: {} }
services:
  api:
    kind: web
    provider: { type: render, serviceName: shop-api }
    urls: { production: "http://api.test", staging: "http://staging-api.test" }
    health: [{ type: readiness, path: /ready }]
${stagingOverride}
  web:
    kind: web
    provider: { type: vercel, project: shop-web }
    overrides: { staging: { provider: { type: vercel, project: shop-web-staging } } }
`;

async function stack(stagingOverride?: string) {
  const { options, platform, store } = await setup();
  const { config, diagnostics } = validateConfigText(YAML(stagingOverride), 'opsbook.yaml');
  if (!config) throw new Error(JSON.stringify(diagnostics));
  return { options: { ...options, config, environment: 'staging' }, platform, store };
}

describe('an environment whose platform target is production', () => {
  it('refuses to deploy staging to the Render service production runs on, changing and locking nothing', async () => {
    const { options, platform, store } = await stack();
    const r = await runDeploy(options);
    expect(r.status).toBe('failed');
    expect(r.message).toContain('api (render): staging deploys to the same render target as production');
    expect(r.message).toContain('services.api.overrides.staging.provider');
    expect(r.message).not.toContain('web (vercel)');
    expect(platform.calls.deploy).toBe(0);
    expect(await store.getLock(lockName('staging'))).toBeUndefined();
  });

  it('deploys staging once it has a target of its own', async () => {
    const own = '    overrides: { staging: { provider: { type: render, serviceName: shop-api-staging } } }';
    const { options } = await stack(own);
    expect((await runDeploy(options)).status).toBe('succeeded');
  });

  it('refuses to roll staging back on production', async () => {
    const { options, platform } = await stack();
    await expect(
      rollbackEnvironment({
        config: options.config,
        environment: 'staging',
        store: options.store,
        actor: 'alice',
        providerFor: options.providerFor,
        measure: options.measure,
        providerCtx: createProviderContext({ cwd: options.cwd, sleep: async () => {} }),
      }),
    ).rejects.toThrow('same render target as production');
    expect(platform.calls.rollback).toBe(0);
  });
});
