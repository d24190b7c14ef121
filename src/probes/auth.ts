/** Auth headers for a health endpoint, read from `{ env: NAME }` references; the values join the redactor. */
import type { HealthEndpoint } from '../config/index.js';
import type { ProbeContext } from './types.js';

export type HealthAuth = NonNullable<HealthEndpoint['auth']>;

export type AuthHeaders = { headers: Record<string, string> } | { missing: string };

export function resolveAuth(auth: HealthAuth | undefined, ctx: ProbeContext): AuthHeaders {
  if (!auth) return { headers: {} };
  const ref = auth.type === 'bearer' ? auth.token : auth.type === 'basic' ? auth.credentials : auth.value;
  const value = ctx.env[ref.env];
  if (!value) {
    const what = auth.type === 'header' ? `the ${auth.header} header` : `${auth.type} auth`;
    return { missing: `environment variable ${ref.env} is not set (it holds ${what} for this endpoint)` };
  }
  ctx.redactor?.add([value]);
  if (auth.type === 'bearer') return { headers: { authorization: `Bearer ${value}` } };
  if (auth.type === 'basic') {
    const encoded = Buffer.from(value).toString('base64');
    ctx.redactor?.add([encoded]);
    return { headers: { authorization: `Basic ${encoded}` } };
  }
  return { headers: { [auth.header]: value } };
}
