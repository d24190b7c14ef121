/**
 * An invalid regular expression in a health condition once passed validate, and every check of the healthy
 * release then failed on it, so the deploy rolled back a good release. Now validate and deploy refuse the
 * config up front, at the expression's file:line:col, before anything is started.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBodyCondition } from '../../src/probes/conditions.js';
import { createDemoStack, repoRoot } from '../support/demo-stack.js';

const cli = join(repoRoot, 'dist', 'main.js');
const BAD = '"(ready"';
let dir = '';
let port = 0;
let where = '';

function opsbook(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', OPSBOOK_ACTOR: 'e2e' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('an invalid regular expression in a health condition', () => {
  beforeAll(async () => {
    ({ dir, port } = await createDemoStack((y) =>
      y.replace('- { path: status, equals: ready }', `- { path: status, matches: ${BAD} }`),
    ));
    const lines = readFileSync(join(dir, 'opsbook.yaml'), 'utf8').split('\n');
    const line = lines.findIndex((l) => l.includes(BAD));
    where = `opsbook.yaml:${line + 1}:${lines[line]!.indexOf(BAD) + 1}`;
  }, 60_000);
  afterAll(async () => {
    // Had a release been started (the bug), its supervisor must not outlive the test.
    const { stopLocalRuntime } = await import(
      pathToFileURL(join(repoRoot, 'dist', 'providers', 'index.js')).href
    );
    await stopLocalRuntime(dir).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('would fail every check of a healthy release at run time (why it must be refused)', () => {
    expect(checkBodyCondition({ status: 'ready' }, { path: 'status', matches: '(ready' })).toMatch(
      /not a valid regular expression/,
    );
  });

  it('is refused by validate at its file:line:col', () => {
    const r = opsbook(['validate']);
    expect(r.code).toBe(1); // the documented "invalid config" outcome
    expect(r.stderr).toContain(where);
    expect(r.stderr).toMatch(/not a valid regular expression.*Unterminated group/);
  });

  it('is refused by deploy before anything starts, so no healthy release can be rolled back', async () => {
    const r = opsbook(['deploy', '--yes', '--skip-gates', '--json']);
    expect(r.code).toBe(2); // bad input: the config
    const envelope = JSON.parse(r.stdout);
    expect(envelope.ok).toBe(false);
    expect(JSON.stringify(envelope)).not.toMatch(/rolled-back|rollback/);
    expect(r.stderr + r.stdout).toContain('config/invalid-pattern');
    // Nothing was deployed: no release answers on the stack's port.
    await expect(fetch(`http://127.0.0.1:${port}/ready`)).rejects.toThrow();
  });
});
