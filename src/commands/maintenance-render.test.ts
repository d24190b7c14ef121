import { describe, expect, it } from 'vitest';
import { createOutput } from '../output/index.js';
import { printCompletion } from './maintenance-render.js';

describe('printing a maintenance completion', () => {
  it('shows escape sequences in the evidence of any check as \\xNN, keeping its lines', () => {
    let stdout = '';
    let stderr = '';
    const out = createOutput({
      mode: 'plain',
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
      env: {},
    });
    printCompletion(out, {
      task: 'deps',
      at: '2026-12-04T00:00:00Z',
      by: 'ann',
      via: 'check',
      ok: false,
      evidence: {
        ok: false,
        summary: '1 folder(s) audited, 1 warning(s) \x1b[2J',
        findings: [
          { severity: 'warning', message: '.: 1 known vulnerability: left-pad \x1b]0;owned\x07\nline two' },
        ],
      },
    });
    expect(stdout + stderr).not.toContain('\x1b');
    expect(stdout).toContain('  ! .: 1 known vulnerability: left-pad \\x1b]0;owned\\x07\nline two');
    expect(stderr).toContain('deps: 1 folder(s) audited, 1 warning(s) \\x1b[2J');
  });
});
