/** The server's one error handler: UserError and ProviderError as classifyError maps them (as main.ts does), anything else a bug (no details leak). */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { classifyError } from '../errors.js';
import type { ServerContext } from './context.js';
import { scrubText } from './public-data.js';

export interface ErrorBody {
  error: { code: string; message: string; hint?: string };
}

export function errorResponse(
  ctx: Pick<ServerContext, 'redactor'>,
  log: (message: string) => void,
): (error: Error, c: Context) => Response {
  return (error, c) => {
    const scrub = (text: string) => scrubText(ctx, text);
    const send = (status: ContentfulStatusCode, body: ErrorBody['error']) =>
      c.json({ error: body } satisfies ErrorBody, status);
    const e = classifyError(error);
    if (e.kind === 'user' || e.kind === 'provider')
      return send(e.httpStatus as ContentfulStatusCode, {
        code: e.code,
        message: scrub(e.message),
        ...(e.hint ? { hint: scrub(e.hint) } : {}),
      });
    if (error instanceof HTTPException)
      return send(error.status as ContentfulStatusCode, {
        code: 'http-error',
        message: scrub(error.message),
      });
    log(scrub(`request ${c.req.method} ${c.req.path} failed: ${error.stack ?? error.message}`));
    return send(500, {
      code: 'internal',
      message: 'opsbook hit a bug while answering; the server log has the details',
    });
  };
}
