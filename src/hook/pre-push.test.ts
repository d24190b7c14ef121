import { describe, expect, it } from 'vitest';
import { validateConfigText } from '../config/validate.js';
import { parsePushedRefs, planPrePush } from './pre-push.js';

const { config } = validateConfigText(
  `name: shop
environments:
  production: { protected: true }
  staging: { branch: develop }
  sandbox: { branch: sandbox, autoDeploy: false }
services:
  api: { kind: web }
deploy: { trigger: push }
`,
  'opsbook.yaml',
);
const HEAD = 'a'.repeat(40);
const line = (branch: string, sha = HEAD) =>
  `refs/heads/${branch} ${sha} refs/heads/${branch} ${'0'.repeat(40)}`;

describe('what a push deploys', () => {
  it('maps each pushed branch to the environments that deploy it on push', () => {
    const plan = planPrePush(
      config!,
      parsePushedRefs([line('main'), line('develop'), line('sandbox'), line('feature')].join('\n')),
      HEAD,
    );
    expect(plan.checks.map((c) => [c.branch, c.environment])).toEqual([
      ['main', 'production'],
      ['develop', 'staging'],
    ]);
  });

  it('refuses to vouch for a pushed commit that is not checked out, and ignores deletions', () => {
    const other = 'b'.repeat(40);
    const plan = planPrePush(
      config!,
      parsePushedRefs(`${line('main', other)}\n(delete) ${'0'.repeat(40)} refs/heads/develop ${HEAD}`),
      HEAD,
    );
    expect(plan.checks).toEqual([]);
    expect(plan.notCheckedOut).toEqual([{ branch: 'main', sha: other }]);
  });
});
