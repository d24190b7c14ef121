import { describe, expect, it } from 'vitest';
import type { StackConfig } from '../config/index.js';
import { checkSeverity } from './actions.js';

const config = (severities?: Record<string, object>) =>
  ({ incidents: severities ? { severities } : undefined }) as unknown as StackConfig;

describe('checkSeverity', () => {
  it('accepts a declared severity and names the declared ones for any other', () => {
    expect(() => checkSeverity(config({ P1: { name: 'Critical' } }), 'P1')).not.toThrow();
    expect(() => checkSeverity(config({ P1: {}, P2: {} }), 'sev1')).toThrow(
      expect.objectContaining({ hint: 'use one of: P1, P2' }),
    );
  });

  it('without any declared, shows the lines to add for the one typed (a valid key, else an example)', () => {
    expect(() => checkSeverity(config(), 'sev1')).toThrow(
      expect.objectContaining({
        message: "unknown severity 'sev1'",
        hint: 'declare it in opsbook.yaml, e.g. incidents: { severities: { sev1: { name: Critical, page: true } } }, then open the incident again',
      }),
    );
    expect(() => checkSeverity(config(), '1')).toThrow(
      expect.objectContaining({ hint: expect.stringContaining('{ SEV1: {') }),
    );
  });
});
