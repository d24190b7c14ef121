/** Env values that meet an example's contract: random secrets (high entropy), real-looking hosts, no placeholders. */
import { randomBytes } from 'node:crypto';

export const random = (bytes: number) => randomBytes(bytes).toString('base64url');

export function araEnv(): Record<string, string> {
  return {
    DATABASE_URL: `postgresql://ara:${random(12)}@db.ara-e2e.internal:5432/ara_prod`,
    CLERK_SECRET_KEY: `sk_live_${random(24)}`,
    NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY: `pk_live_${random(24)}`,
    CLERK_JWT_KEY: `-----BEGIN PUBLIC KEY-----${random(48)}-----END PUBLIC KEY-----`,
    OPENAI_API_KEY: `sk-${random(36)}`,
    CLOUDFLARE_R2_ACCESS_KEY_ID: random(24),
    CLOUDFLARE_R2_SECRET_ACCESS_KEY: random(36),
    CLOUDFLARE_R2_BUCKET_NAME: 'ara-reports',
    ENCRYPTION_KEY: random(24),
    JWT_SECRET: random(48),
    UPSTASH_REDIS_URL: `rediss://default:${random(12)}@redis.ara-e2e.internal:6379`,
    NEXT_PUBLIC_APP_URL: 'https://app.ara-e2e.dev',
    NODE_ENV: 'production',
  };
}

export function promptStudioEnv(): Record<string, string> {
  return {
    NEXT_PUBLIC_SUPABASE_URL: 'https://abcdefghijklmnop.supabase.co',
    NEXT_PUBLIC_SUPABASE_ANON_KEY: `eyJ${random(48)}`,
    NEXT_PUBLIC_API_BASE_URL: 'https://api.prompt-studio-e2e.dev',
    SUPABASE_URL: 'https://abcdefghijklmnop.supabase.co',
    SUPABASE_SERVICE_ROLE_KEY: `eyJ${random(48)}`,
    STRIPE_SECRET_KEY: `sk_live_${random(24)}`,
    STRIPE_WEBHOOK_SECRET: `whsec_${random(24)}`,
    OPENAI_API_KEY: `sk-${random(36)}`,
  };
}
