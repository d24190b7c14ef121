/** The closed sets of names a service in opsbook.yaml takes, without zod (schema-service.ts builds on them). */
export const SERVICE_KINDS = ['web', 'worker', 'cron', 'static', 'database', 'cache', 'external'] as const;
export const PLATFORMS = [
  'render',
  'vercel',
  'railway',
  'fly',
  'heroku',
  'netlify',
  'supabase',
  'neon',
  'aws',
  'gcp',
  'azure',
  'cloudflare',
  'self-hosted',
  'local',
  'other',
] as const;
export const HEALTH_TYPES = ['liveness', 'readiness', 'deep', 'ping', 'detailed', 'smoke'] as const;
