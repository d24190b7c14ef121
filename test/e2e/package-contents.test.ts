import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('the published package', () => {
  it('ships nothing test-only: no fakes, test support, corpus or tests', () => {
    const [pack] = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
        cwd: root,
        encoding: 'utf8',
      }),
    ) as { files: { path: string }[] }[];
    const files = pack!.files.map((f) => f.path);
    expect(files).toContain('dist/main.js');
    expect(files).toContain('dist/index.js');
    expect(files.filter((f) => /fake-|test-support|corpus|\.test\.|\.contract\./.test(f))).toEqual([]);
  });
});
