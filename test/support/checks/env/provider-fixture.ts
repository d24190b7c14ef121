/** A stack on Render (api) and Vercel (web) with values on loopback fakes; shared by the unit, command and e2e tests. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeRender, startFakeRender } from '../../../fakes/render/fake-render.js';
import { type FakeVercel, startFakeVercel } from '../../../fakes/vercel/fake-vercel.js';

export const PROVIDER_CONFIG = `
name: shop
environments:
  production: { envFile: .env.production }
services:
  api:
    kind: web
    provider: { type: render, serviceId: srv-shop0001 }
    env:
      JWT_SECRET: { secret: true, minLength: 32 }
      DATABASE_URL: { secret: true, url: true }
      LOG_LEVEL: { enum: [DEBUG, INFO] }
      CORS_ORIGINS: { list: true, https: [production] }
      RESEND_API_KEY: { secret: true }
  web:
    kind: web
    provider: { type: vercel, project: shop-web }
    env:
      NEXTAUTH_SECRET: { secret: true, minLength: 32 }
      NEXT_PUBLIC_API_URL: { url: true, https: [production] }
      STRIPE_SECRET_KEY: { secret: true }
  worker:
    kind: worker
    provider: { type: local, command: node worker.js }
    env:
      QUEUE_URL: { url: true }
  docs:
    kind: static
    env:
      DOCS_TOKEN: { secret: true, required: false }
`;

export const TOKENS = {
  render: 'rnd_Tq8Vx2Lm9Zp4Wc7Ny3Kb6Hd1Fs5Gj0', // gitleaks:allow (a fake token for this test)
  vercel: 'vcl_Mx4Rb9Tz2Qw7Lp3Nd8Vk5Hc1Jf6Gs0', // gitleaks:allow (a fake token for this test)
} as const;

/** Values on the platforms: none may appear in any output. */
export const PLATFORM_VALUES = {
  jwt: 'Jw7Qx2Lm9Zp4Wc', // too short for minLength 32
  dbPassword: 'Pz8Kq3Wn6Vb1Xr5T', // gitleaks:allow (a fake password for this test)
  cors: 'http://shop-admin-7f3.io,https://shop-7f3.io',
  renderNextauth: 'Rn4Vx8Lq2Zm6Wp0Kc9Tb3Hd7Fs1Gj5Ny', // in web's contract, but set on api's platform
  vercelResend: 're_Vc5Tz1Qw8Lp4Nd7Vk2Hc9Jf3Gs6Mx0', // in api's contract, but set on web's platform
  apiUrl: 'http://api-internal-7f3.io',
  stripe: 'sk_live_Zt8Vw4Nc6Xb0Lm3Kp9Rs5Jd7Fg1Ty2', // gitleaks:allow (a fake key for this test)
  oldToken: 'tok_Hq2Zt8Vw4Nc6Xb0Lm3Kp9Rs5Jd7Fg', // gitleaks:allow (a fake token for this test)
} as const;

export const DATABASE_URL = `postgres://app:${PLATFORM_VALUES.dbPassword}@db-7f3.shopdemo.io:5432/shop`;

export interface ProviderStack {
  cwd: string;
  render: FakeRender;
  vercel: FakeVercel;
  /** The process environment a CLI run needs: tokens and the API URL overrides. */
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

/**
 * api on Render: JWT_SECRET too short, LOG_LEVEL outside the enum, CORS_ORIGINS with http://, RESEND_API_KEY
 * missing (Vercel has it, for web), plus NEXTAUTH_SECRET (web's) and OLD_API_TOKEN in no contract of api.
 * web on Vercel: NEXTAUTH_SECRET sensitive (listed without a value), NEXT_PUBLIC_API_URL on http://,
 * STRIPE_SECRET_KEY set only for preview, so missing in production.
 * .env.production (for diff --against): DATABASE_URL and LOG_LEVEL differ from Render, JWT_SECRET and
 * NEXTAUTH_SECRET are the same, RESEND_API_KEY is only there for api and the same as Vercel's for web.
 */
export async function startProviderStack(): Promise<ProviderStack> {
  const cwd = await mkdtemp(join(tmpdir(), 'opsbook-env-provider-'));
  await writeFile(join(cwd, 'opsbook.yaml'), PROVIDER_CONFIG);
  await writeFile(
    join(cwd, '.env.production'),
    `${[
      `JWT_SECRET=${PLATFORM_VALUES.jwt}`,
      `DATABASE_URL=${DATABASE_URL}x`,
      'LOG_LEVEL=INFO',
      `NEXTAUTH_SECRET=${PLATFORM_VALUES.renderNextauth}`,
      `RESEND_API_KEY=${PLATFORM_VALUES.vercelResend}`,
    ].join('\n')}\n`,
  );
  const render = await startFakeRender({ token: TOKENS.render, serviceId: 'srv-shop0001' });
  for (const [key, value] of Object.entries({
    JWT_SECRET: PLATFORM_VALUES.jwt,
    DATABASE_URL,
    LOG_LEVEL: 'verbose',
    CORS_ORIGINS: PLATFORM_VALUES.cors,
    NEXTAUTH_SECRET: PLATFORM_VALUES.renderNextauth,
    OLD_API_TOKEN: PLATFORM_VALUES.oldToken,
  }))
    render.envVars.set(key, value);
  const vercel = await startFakeVercel({ token: TOKENS.vercel, projectName: 'shop-web' });
  const production = ['production'];
  vercel.env.push(
    { key: 'NEXTAUTH_SECRET', value: PLATFORM_VALUES.renderNextauth, type: 'sensitive', target: production },
    { key: 'NEXT_PUBLIC_API_URL', value: PLATFORM_VALUES.apiUrl, type: 'encrypted', target: production },
    { key: 'RESEND_API_KEY', value: PLATFORM_VALUES.vercelResend, type: 'encrypted', target: production },
    { key: 'STRIPE_SECRET_KEY', value: PLATFORM_VALUES.stripe, type: 'encrypted', target: ['preview'] },
  );
  return {
    cwd,
    render,
    vercel,
    env: {
      RENDER_API_KEY: TOKENS.render,
      VERCEL_TOKEN: TOKENS.vercel,
      OPSBOOK_RENDER_API_URL: render.url,
      OPSBOOK_VERCEL_API_URL: vercel.url,
    },
    async close() {
      await Promise.all([render.close(), vercel.close()]);
      const { rm } = await import('node:fs/promises');
      await rm(cwd, { recursive: true, force: true });
    },
  };
}
