import { describe, expect, it } from 'vitest';
import { setup, YAML } from '../../test/support/deploy/setup.js';
import { validateConfigText } from '../config/validate.js';
import { createMeasure } from '../verify/index.js';
import { renderLogEntry, toLogEntry } from './deployment-log.js';
import { runDeploy } from './run-deploy.js';

describe('downtime in the deployment log', () => {
  it('counts failed liveness measurements as downtime whatever the endpoint is named', async () => {
    const yaml = YAML().replace(
      'health: [{ type: readiness, path: /ready }]',
      'health: [{ type: liveness, name: health, path: /health }]',
    );
    const { config } = validateConfigText(yaml, 'opsbook.yaml');
    const { options, platform, store } = await setup();
    let rolledBack = false;
    const r = await runDeploy({
      ...options,
      config: config!,
      providerFor: (s) => {
        const p = platform.provider(s);
        return {
          ...p,
          rollback: (id, ctx) => {
            rolledBack = true;
            return p.rollback(id, ctx);
          },
        };
      },
      measure: createMeasure({
        config: config!,
        environment: 'production',
        env: {},
        signal: options.signal,
        redactor: options.redactor,
        // The new release's /health answers 503 until the rollback.
        fetch: async () => new Response('{}', { status: rolledBack ? 200 : 503 }),
      }),
    });
    expect(r.status).toBe('rolled-back');
    const failed = r.state!.verification!.failed;
    expect(failed).toBeGreaterThan(0);
    expect(r.state!.downtimeMs).toBe(failed * 1000);
    const entry = toLogEntry((await store.getRun(r.runId!))!, 'main')!;
    expect(renderLogEntry(entry)).toContain(`Downtime: ${failed} seconds`);
  });
});
