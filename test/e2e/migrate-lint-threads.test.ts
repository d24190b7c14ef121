import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
// Enough SQL (PARALLEL_MIN_BYTES, 1.5 MiB) for `migrate lint` of the folder to start its workers before it reads the
// config, when the machine's cores are free (workers/cores.ts).
const FILES = 250;
const PADDING = `-- ${'x'.repeat(96)}\n`.repeat(70);

describe('migrate lint of a folder large enough for worker threads (CLI)', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'opsbook-e2e-lint-threads-'));
    for (let i = 1; i <= FILES; i++)
      writeFileSync(
        join(dir, `${String(i).padStart(4, '0')}_t.sql`),
        `${PADDING}CREATE INDEX t${i}_idx ON t (c${i});\n`,
      );
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const lint = () =>
    spawnSync(process.execPath, [cli, 'migrate', 'lint', '--json', '.'], {
      cwd: dir,
      encoding: 'utf8',
      // A worker left running would hold the process open: the run would end only here, with no status.
      timeout: 60_000,
    });

  it('lints every file and reports each finding once', () => {
    const run = lint();
    expect(run.status).toBe(1);
    const out = JSON.parse(run.stdout) as {
      data: unknown[];
      diagnostics: { code: string; location: { file: string } }[];
    };
    expect(out.data).toHaveLength(FILES);
    const flagged = out.diagnostics
      .filter((d) => d.code === 'migration/require-concurrent-index-creation')
      .map((d) => d.location.file);
    expect(new Set(flagged).size).toBe(FILES);
    expect(flagged).toHaveLength(FILES);
  });

  it('exits at once with the config error when the config does not validate', () => {
    writeFileSync(join(dir, 'opsbook.yaml'), 'stack: x\nbogus: [\n');
    const run = lint();
    expect(run.signal).toBeNull();
    expect(run.status).toBe(2);
    expect(run.stdout).toContain('config/yaml-syntax');
  });
});
