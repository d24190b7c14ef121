import { describe, expect, it } from 'vitest';
import { classifyError, EXIT, ExitError, ProviderError, UserError } from './errors.js';

describe('classifyError', () => {
  it('maps each error class to one exit code and one HTTP status', () => {
    expect(classifyError(new UserError('bad flag', 'see --help'))).toMatchObject({
      kind: 'user',
      exitCode: EXIT.usage,
      httpStatus: 400,
      code: 'user-error',
      hint: 'see --help',
    });
    expect(classifyError(new UserError('no run 7', undefined, 'not-found')).httpStatus).toBe(404);
    expect(classifyError(new ProviderError('render', 'deploy failed', 503, '{"x":1}'))).toEqual({
      kind: 'provider',
      exitCode: EXIT.provider,
      httpStatus: 502,
      code: 'provider-error',
      message: 'render: deploy failed (HTTP 503)',
      body: '{"x":1}',
    });
    // The platform adapters' messages name the provider and the status already: once is enough.
    expect(
      classifyError(new ProviderError('render', 'render: GET /services failed with HTTP 401', 401)).message,
    ).toBe('render: GET /services failed with HTTP 401');
    expect(classifyError(new ExitError(4))).toMatchObject({ kind: 'reported', exitCode: 4 });
    expect(classifyError(new TypeError('x is undefined'))).toMatchObject({
      kind: 'internal',
      exitCode: EXIT.internal,
      httpStatus: 500,
      message: 'x is undefined',
    });
  });

  it('reports an interrupted run as interrupted, and a full disk as the environment, not as bugs', () => {
    expect(classifyError(new Error('interrupted'), { aborted: true }).exitCode).toBe(EXIT.interrupted);
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    expect(classifyError(full)).toMatchObject({ kind: 'environment', exitCode: EXIT.environment });
  });
});
