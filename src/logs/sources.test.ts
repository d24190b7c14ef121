import { describe, expect, it } from 'vitest';
import type { ProviderContext } from '../providers/index.js';
import { createRedactor } from '../redact/index.js';
import { toEntry } from './sources.js';

const ctx = { redactor: createRedactor() } as ProviderContext;
const line = (text: string) => toEntry('api', { at: '2026-01-01T10:00:00Z', source: 'runtime', text }, ctx);

describe('toEntry', () => {
  it("shows an app's escape codes as text, so a log line cannot retitle or clear the reader's terminal", () => {
    const entry = line('hello \u001b]0;pwned\u0007 \u001b[2J\tend\u009b');
    expect(entry.message).toBe('hello \\x1b]0;pwned\\x07 \\x1b[2J\tend\\x9b');
    // The line as written stays as it was, for --grep and --json.
    expect(entry.text).toBe('hello \u001b]0;pwned\u0007 \u001b[2J\tend\u009b');
  });

  it('reads the level of a coloured line and shows it without the colour codes', () => {
    const entry = line('\u001b[31mERROR\u001b[39m connection refused');
    expect(entry.level).toBe('error');
    expect(entry.message).toBe('ERROR connection refused');
  });
});
