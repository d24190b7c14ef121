import { describe, expect, it } from 'vitest';
import { planDeploy } from '../../deploy/plan.js';
import { parseDuration } from '../index.js';
import { validateConfigText } from '../validate.js';

const stack = (provider: string, deploy = 'deploy: { trigger: push }') => `name: shop
environments:
  production: { protected: true }
  preview: { autoDeploy: false }
services:
  web:
    kind: web
    platform: vercel
    provider: ${provider}
${deploy}
`;

const codes = (yaml: string) =>
  validateConfigText(yaml, 'opsbook.yaml').diagnostics.filter((d) => d.code === 'config/double-deploy');

describe('never both vercel --prod and the git integration for one commit', () => {
  it('validate refuses a command provider running the Vercel CLI where the environment deploys on push', () => {
    const [d, ...rest] = codes(stack('{ type: command, deploy: "npx vercel --prod" }'));
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ severity: 'error' });
    expect(d!.message).toContain('web would be deployed twice in production');
    expect(d!.message).not.toContain('preview');
    expect(d!.hint).toContain('type: vercel');
    expect(d!.location?.path).toBe('services.web.provider');
  });

  it('accepts the vercel provider (it follows the git deployment), and the CLI when nothing deploys on push', () => {
    expect(codes(stack('{ type: vercel, project: shop-web }'))).toEqual([]);
    expect(codes(stack('{ type: command, deploy: vercel --prod }', 'deploy: { trigger: api }'))).toEqual([]);
  });

  it('deploy refuses it at plan time too, and follows the platform where the environment auto-deploys', () => {
    const yaml = stack('{ type: vercel, project: shop-web }', 'deploy: { trigger: api }').replace(
      'production: { protected: true }',
      'production: { protected: true, autoDeploy: true }',
    );
    const config = validateConfigText(yaml, 'opsbook.yaml').config!;
    const plan = (environment: string) => planDeploy({ config, environment, parse: parseDuration });
    expect(plan('production').follow).toBe(true);
    expect(plan('preview').follow).toBe(false);
    // validate refuses the CLI; a config built in code (defineConfig) reaches the plan all the same.
    config.services.web!.provider = { type: 'command', deploy: 'vercel --prod' } as never;
    expect(() => plan('production')).toThrow(/web would be deployed twice/);
    expect(() => plan('preview')).not.toThrow();
  });
});
