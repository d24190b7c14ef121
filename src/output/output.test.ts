import { describe, expect, it } from 'vitest';
import { createOutput } from './index.js';

function buffers() {
  const chunks = { out: '', err: '' };
  return {
    chunks,
    stdout: { write: (s: string) => (chunks.out += s), isTTY: true },
    stderr: { write: (s: string) => (chunks.err += s), isTTY: true },
  };
}

describe('output', () => {
  it('masks registered secrets on every path: lines, notes, errors, tables, diagnostics and JSON', () => {
    const b = buffers();
    const out = createOutput({ mode: 'plain', stdout: b.stdout, stderr: b.stderr, env: {} });
    const secret = 'sk_live_51abcDEFghiJKL';
    out.redactor.add([secret]);
    out.line(`token ${secret}`);
    out.note(`note ${secret}`);
    out.error(`bad ${secret}`, `hint ${secret}`);
    out.table([{ v: secret }], [{ header: 'V', value: (r) => r.v }]);
    out.diagnostics([{ severity: 'error', code: 'x', message: secret, hint: secret }]);
    const json = createOutput({
      mode: 'json',
      stdout: b.stdout,
      stderr: b.stderr,
      env: {},
      redactor: out.redactor,
    });
    json.json({ nested: [{ value: `a=${secret}/b` }] });
    expect(b.chunks.out + b.chunks.err).not.toContain(secret);
    expect(b.chunks.out).toContain('[REDACTED]');
  });

  it('uses no colour with NO_COLOR and no escape codes in plain mode', () => {
    const b = buffers();
    createOutput({ mode: 'pretty', stdout: b.stdout, stderr: b.stderr, env: { NO_COLOR: '1' } }).success(
      'done',
    );
    createOutput({ mode: 'plain', stdout: b.stdout, stderr: b.stderr, env: {} }).error('bad');
    expect(b.chunks.out + b.chunks.err).not.toContain('\x1b[');
  });

  it('colours in pretty mode on a terminal', () => {
    const b = buffers();
    createOutput({ mode: 'pretty', stdout: b.stdout, stderr: b.stderr, env: {} }).success('done');
    expect(b.chunks.out).toContain('\x1b[');
  });

  it('prints nothing but the envelope in json mode', () => {
    const b = buffers();
    const out = createOutput({ mode: 'json', stdout: b.stdout, stderr: b.stderr, env: {} });
    out.line('human text');
    out.note('progress');
    out.json({ ok: true });
    expect(JSON.parse(b.chunks.out)).toEqual({ ok: true });
    expect(b.chunks.err).toBe('');
  });

  it('shows control characters of outside text as \\xNN, keeping its own colours, tabs and newlines', () => {
    const name = 'evil\x1b]0;owned\x07\x1b[2J\rname.js';
    for (const mode of ['plain', 'pretty'] as const) {
      const b = buffers();
      const out = createOutput({ mode, stdout: b.stdout, stderr: b.stderr, env: {} });
      out.line(`${out.style('bold', 'file')}\t${name}`);
      out.diagnostics([{ severity: 'error', code: 'x', message: name, location: { file: name, line: 1 } }]);
      const printed = b.chunks.out + b.chunks.err;
      expect(printed).toContain('evil\\x1b]0;owned\\x07\\x1b[2J\\x0dname.js');
      for (const raw of ['\x1b]', '\x07', '\x1b[2J', '\r']) expect(printed).not.toContain(raw);
      expect(printed).toContain('\t');
      expect(printed.includes('\x1b[1m')).toBe(mode === 'pretty');
    }
  });

  it('aligns table columns', () => {
    const b = buffers();
    createOutput({ mode: 'plain', stdout: b.stdout, stderr: b.stderr, env: {} }).table(
      [
        { a: 'x', b: 'long value' },
        { a: 'longer', b: 'y' },
      ],
      [
        { header: 'A', value: (r) => r.a },
        { header: 'B', value: (r) => r.b },
      ],
    );
    const lines = b.chunks.out.trim().split('\n');
    expect(lines[0]).toBe('A       B');
    expect(lines[2]).toBe('longer  y');
  });
});
