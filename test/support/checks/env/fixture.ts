/** A stack with an env contract and env files, one planted violation per rule; shared by the check and command tests. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CONFIG = `
name: kamiyo
environments:
  production: { protected: true, envFile: .env.production }
  staging: { envFile: .env.staging }
  development: { envFile: .env.development }
services:
  web:
    kind: web
    env:
      NEXTAUTH_SECRET: { secret: true, minLength: 32, description: NextAuth session signing secret }
      NEXT_PUBLIC_API_URL: { url: true, https: [production], description: Public API base URL }
  api:
    kind: web
    provider: { type: railway, service: kamiyo-api }
    env:
      JWT_SECRET: { secret: true, description: JWT signing secret }
      STRIPE_SECRET_KEY: { secret: true, description: Stripe live secret key }
      SESSION_KEY: { secret: true }
      API_SIGNING_KEY: { secret: true }
      RESEND_API_KEY: { secret: true, description: Resend key for transactional email }
      CORS_ORIGINS: { list: true, https: [production], description: "Allowed origins | comma-separated" }
      WEBHOOK_URL: { url: true }
      LOG_LEVEL: { enum: [DEBUG, INFO, WARNING, ERROR], default: INFO }
      APP_NAME: { maxLength: 10, required: false }
      RELEASE_TAG: { pattern: '^v\\d+\\.\\d+\\.\\d+$', required: false }
      PORT: { format: port, default: "8000" }
      WORKERS: { format: int, required: false }
      ENABLE_SCHEDULER: { format: bool, required: false }
      ADMIN_EMAIL: { format: email, example: admin@kamiyo.ai }
      FEATURE_FLAGS: { format: json, required: false }
      REQUEST_TIMEOUT: { format: duration, required: false }
      POSTGRES_PORT: { format: port }
      DATABASE_URL: { from: "\${{Postgres.DATABASE_URL}}", secret: true }
      REDIS_URL: { from: "\${{Redis.REDIS_URL}}" }
      ANALYTICS_KEY: { from: "\${{web.ANALYTICS_KEY}}" }
      SENTRY_DSN: { environments: [production] }
  postgres:
    kind: database
    overrides: { development: { disabled: true } }
  redis:
    kind: cache
`;

/** Values that must never appear in any output. */
export const SECRETS = {
  nextauth: 'Qm7vT2xLp9RzK4wN8cYb',
  jwt: 'kamiyo-jwt-secret-2024',
  session: 'f3Kx9Lq2Vn8Rt5Wz1Yb7Hc4Md6Pj0Sg',
  signing: 'uR4nD0mAnd5tr0ngK3yThatPa55esAllRul3s9x',
  stagingJwt: 'Hq2Zt8Vw4Nc6Xb0Lm3Kp9Rs5Jd7Fg1Ty',
  brokenLine: 'sk_live_4eC39HqLyjWDarjtT1zdp7dc', // gitleaks:allow (a fake secret for this test)
  oldToken: 'tok_9Vb2Nq7Wx4Mz8Lc1Kd5Fh3Gj6Ps0Rt', // gitleaks:allow (a fake secret for this test)
  dbPassword: 'Pg7Wq2Zx9Vb4Nm1Lk8Jh', // gitleaks:allow (a fake secret for this test)
} as const;

export const PRODUCTION = [
  '# production values (a fixture: every line plants one violation unless noted)',
  `NEXTAUTH_SECRET=${SECRETS.nextauth}`,
  'NEXT_PUBLIC_API_URL=http://api.kamiyo.ai',
  `export JWT_SECRET="${SECRETS.jwt}"`,
  "STRIPE_SECRET_KEY='sk_live_...'",
  `SESSION_KEY=${SECRETS.session}`,
  `API_SIGNING_KEY=${SECRETS.signing} # fine`,
  'CORS_ORIGINS=https://kamiyo.ai,http://app.kamiyo.ai,https://localhost:3000',
  'WEBHOOK_URL=kamiyo.ai/hooks',
  'LOG_LEVEL=verbose',
  'APP_NAME=kamiyo-production-app',
  'RELEASE_TAG=latest',
  'PORT=99999',
  'WORKERS=four',
  'ENABLE_SCHEDULER=maybe',
  'ADMIN_EMAIL=admin-at-kamiyo.ai',
  'FEATURE_FLAGS={"beta": tru',
  'REQUEST_TIMEOUT=10 seconds',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a Railway reference, the thing under test
  'POSTGRES_PORT=${{Postgres.PGPROT}}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a Railway reference, the thing under test
  'REDIS_URL=${{Redis.REDIS_URL}}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a Railway reference, the thing under test
  'QUEUE_URL=${{Queue.URL}}',
  `this line is broken ${SECRETS.brokenLine}`,
  `OLD_API_TOKEN=${SECRETS.oldToken}`,
  `DATABASE_URL=postgres://app:${SECRETS.dbPassword}@db.kamiyo.ai:5432/app`,
  'SENTRY_DSN=https://abc@o1.ingest.sentry.io/1',
];

export const STAGING = [
  `JWT_SECRET=${SECRETS.stagingJwt}`,
  `SESSION_KEY=${SECRETS.session}`,
  'LOG_LEVEL=DEBUG',
  `NEXTAUTH_SECRET=${SECRETS.nextauth}${SECRETS.nextauth}`,
];

/** 1-based line of the first line of `lines` that assigns or contains `text`. */
export function lineOf(lines: string[], text: string): number {
  const i = lines.findIndex(
    (l) => l.startsWith(`${text}=`) || l.startsWith(`export ${text}=`) || l.includes(text),
  );
  if (i < 0) throw new Error(`fixture has no line with ${text}`);
  return i + 1;
}

export async function writeFixture(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'opsbook-env-'));
  await writeFile(join(dir, 'opsbook.yaml'), CONFIG);
  await writeFile(join(dir, '.env.production'), `${PRODUCTION.join('\n')}\n`);
  await writeFile(join(dir, '.env.staging'), `${STAGING.join('\n')}\n`);
  return dir;
}
