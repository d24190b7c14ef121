import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist', 'main.js');

describe('output into a closed pipe', () => {
  it('ends quietly with exit 0 when the reader stops after one line (opsbook schema | head -1)', () => {
    // The schema is ~100 KiB, more than a pipe buffer holds, so the writer meets EPIPE after head exits.
    const piped = spawnSync(
      'bash',
      ['-c', `"${process.execPath}" "${cli}" schema | head -1; echo "exit=\${PIPESTATUS[0]}" >&2`],
      { encoding: 'utf8' },
    );
    expect(piped.stdout.trim()).toBe('{');
    expect(piped.stderr).not.toContain('EPIPE');
    expect(piped.stderr).not.toContain("Unhandled 'error' event");
    expect(piped.stderr).toContain('exit=0');
  });
});

describe('output onto a full disk', () => {
  it('reports no space left with exit 5, never as a bug, whether a file or stdout is full', () => {
    const file = spawnSync(process.execPath, [cli, 'schema', '--write', '/dev/full'], { encoding: 'utf8' });
    expect(file.status).toBe(5);
    expect(file.stderr).toContain('no space left on the device');
    expect(file.stderr).not.toContain('hit a bug');
    const stdout = spawnSync('bash', ['-c', `"${process.execPath}" "${cli}" schema > /dev/full`], {
      encoding: 'utf8',
    });
    expect(stdout.status).toBe(5);
    expect(stdout.stderr).toContain('no space left on the device');
    expect(stdout.stderr).not.toContain('ENOSPC');
  });
});
