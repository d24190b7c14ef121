import { describe, expect, it } from 'vitest';
import { type ResolvedService, resolveEnvironment } from '../config/index.js';
import { stackSchema } from '../config/schema.js';
import { ProviderError } from '../errors.js';
import { createProviderContext } from './context.js';
import { createProvider } from './index.js';

function render(): ResolvedService {
  const config = stackSchema.parse({
    name: 'test',
    environments: { production: {} },
    services: { api: { kind: 'web', provider: { type: 'render', serviceId: 'srv-1' } } },
  });
  return resolveEnvironment(config, 'production')[0]!;
}

const HOSTILE = 'boom \u001b]0;pwned\u0007\u001b[2J\u009b';
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const ESCAPES = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/;

function answering(answer: (url: URL) => Response) {
  return createProviderContext({
    cwd: '.',
    env: { RENDER_API_KEY: 'k' },
    sleep: async () => {},
    fetch: async (input, init) => {
      init?.signal?.throwIfAborted();
      return answer(new URL(String(input)));
    },
  });
}

describe('what a platform adapter hands the core', () => {
  it('shows the control characters of an error body instead of sending them to the terminal', async () => {
    const ctx = answering(() => new Response(JSON.stringify({ message: HOSTILE }), { status: 400 }));
    const error = await createProvider(render(), { cwd: '.', env: {} })
      .getDeploy('dep-1', ctx)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    const { message, bodyExcerpt } = error as ProviderError;
    expect(message).toContain('boom \\x1b]0;pwned\\x07');
    expect(message).not.toMatch(ESCAPES);
    expect(bodyExcerpt).not.toMatch(ESCAPES);
  });

  it('shows the control characters of a deploy status it does not know', async () => {
    const ctx = answering(
      () => new Response(JSON.stringify({ id: 'dep-1', status: HOSTILE, createdAt: '2026-01-01T00:00:00Z' })),
    );
    const error = await createProvider(render(), { cwd: '.', env: {} })
      .getDeploy('dep-1', ctx)
      .catch((e: unknown) => e);
    expect((error as Error).message).toContain('\\x1b[2J');
    expect((error as Error).message).not.toMatch(ESCAPES);
  });

  it('drops colour codes from log lines and shows any other control character', async () => {
    const ctx = answering((url) =>
      url.pathname.endsWith('/logs')
        ? Response.json({
            hasMore: false,
            logs: [
              { id: 'l1', timestamp: '2026-01-01T00:00:01Z', message: '\u001b[32mready\u001b[0m in 3s' },
              { id: 'l2', timestamp: '2026-01-01T00:00:02Z', message: HOSTILE },
            ],
          })
        : Response.json({ id: 'srv-1', name: 'api', ownerId: 'tea-1' }),
    );
    const page = await createProvider(render(), { cwd: '.', env: {} }).logs!(
      'dep-1',
      ctx,
      '2026-01-01T00:00:00Z',
    );
    expect(page.lines.map((l) => l.text)).toEqual(['ready in 3s', 'boom \\x1b]0;pwned\\x07\\x1b[2J\\x9b']);
  });

  it('lets an abort through as it is', async () => {
    const abort = new AbortController();
    abort.abort();
    const ctx = { ...answering(() => Response.json({})), signal: abort.signal };
    const error = await createProvider(render(), { cwd: '.', env: {} })
      .getDeploy('dep-1', ctx)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('AbortError');
  });
});
