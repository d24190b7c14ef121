import { describe, expect, it } from 'vitest';
import { createOutput } from '../output/index.js';
import { printVerify } from './backup-render.js';

describe('printing a failed restore drill', () => {
  it('shows escape sequences the database put in a problem as \\xNN', () => {
    let stdout = '';
    const out = createOutput({
      mode: 'plain',
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: () => true },
      env: {},
    });
    printVerify(out, {
      backupId: 'nightly/20261204T020000.000Z',
      ok: false,
      at: '2026-12-04T03:00:00Z',
      durationMs: 1,
      problems: ['invariant \'emails\' failed: invalid input syntax for type integer: "\x1b]0;owned\x07"'],
    });
    expect(stdout).not.toContain('\x1b');
    expect(stdout).toContain('invalid input syntax for type integer: "\\x1b]0;owned\\x07"');
  });
});
