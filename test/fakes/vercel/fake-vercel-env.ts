/** The fake Vercel's project env vars: list (decrypted on request, sensitive never) and create with `upsert`. */

import type { VercelEnvVar } from '../../../src/providers/vercel/api.js';
import type { FakeRequest, FakeResponse } from '../fake-platform.js';

/** Answers GET and POST /v10/projects/{id}/env; undefined for other methods. */
export function routeEnv(env: VercelEnvVar[], req: FakeRequest): FakeResponse | undefined {
  if (req.method === 'GET') {
    const decrypt = req.query.get('decrypt') === 'true';
    return {
      status: 200,
      body: {
        envs: env.map((e) =>
          decrypt && e.type !== 'sensitive' ? e : { ...e, value: e.type === 'sensitive' ? '' : 'enc:****' },
        ),
      },
    };
  }
  if (req.method !== 'POST') return undefined;
  const upsert = req.query.get('upsert') === 'true';
  const items = (Array.isArray(req.body) ? req.body : [req.body]) as VercelEnvVar[];
  const created: VercelEnvVar[] = [];
  for (const item of items) {
    const targets = Array.isArray(item.target) ? item.target : [item.target ?? 'production'];
    const existing = env.find(
      (e) => e.key === item.key && targets.every((t) => (e.target as string[]).includes(t)),
    );
    if (existing && !upsert) {
      return {
        status: 400,
        body: { error: { code: 'ENV_ALREADY_EXISTS', message: `${item.key} already exists` } },
      };
    }
    if (existing) existing.value = item.value;
    else
      env.push({
        id: `env_${env.length + 1}`,
        key: item.key,
        value: item.value,
        type: item.type,
        target: targets,
      });
    created.push(item);
  }
  return { status: 201, body: { created, failed: [] } };
}
