import { describe, expect, it } from 'vitest';
import { parseDuration } from '../config/index.js';
import { validateConfigText } from '../config/validate.js';
import { planDeploy } from './plan.js';

function plan(verify: string, health = '[{ type: readiness, path: /ready }]') {
  const { config, diagnostics } = validateConfigText(
    `name: shop
services:
  api: { kind: web, provider: { type: command, deploy: "true" }, urls: { production: "http://api.test" }, health: ${health} }
  worker: { kind: worker, provider: { type: command, deploy: "true" } }
deploy: { verify: ${verify} }
`,
    'opsbook.yaml',
  );
  if (!config) throw new Error(JSON.stringify(diagnostics));
  return planDeploy({ config, environment: 'production', parse: parseDuration });
}

describe('planDeploy verification', () => {
  it('names the services verification cannot measure', () => {
    const p = plan('{ bake: 10s, interval: 2s, failureLimit: 1 }');
    expect(p.verify.unmeasured).toEqual(['worker']);
    expect(p.verify.warning).toBeUndefined();
  });

  it('warns when the window could not fail, or when nothing can be measured', () => {
    expect(plan('{ bake: 2s, interval: 1s, failureLimit: 2 }').verify.warning).toContain(
      'cannot exceed the failure limit of 2',
    );
    expect(plan('{ bake: 10s, interval: 2s, failureLimit: 1 }', '[]').verify.warning).toContain(
      'nothing to measure',
    );
  });
});
