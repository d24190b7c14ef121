import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { commandInput } from '../../test/support/command-input.js';
import { gateStep } from '../app/deploy-steps.js';
import { loadConfig } from '../config/index.js';
import { createOutput } from '../output/index.js';
import { openStore } from '../store/index.js';
import { run as check } from './check.js';
import { CHECK_ARGS } from './specs-release.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const COUNT = 'echo x >> .runs';
function project(gates: string) {
  const dir = mkdtempSync(join(tmpdir(), 'opsbook-check-cmd-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'opsbook.yaml'), `name: t\nservices:\n  api: { kind: web }\ngates:\n${gates}`);
  writeFileSync(join(dir, '.gitignore'), '.opsbook/\n.runs\n');
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
      cwd: dir,
      stdio: 'ignore',
    });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-qm', 'init');
  return dir;
}

function capture() {
  const lines: string[] = [];
  const sink = {
    write: (s: string) => {
      lines.push(s);
      return true;
    },
  };
  const out = createOutput({ mode: 'plain', stdout: sink, stderr: sink, env: {} });
  return { out, text: () => lines.join('') };
}

async function runCheck(dir: string) {
  const { out, text } = capture();
  const result = await check(commandInput(CHECK_ARGS, { cwd: dir, out, env: { PATH: process.env.PATH } }));
  result.print?.(out);
  return { result, text: text() };
}

describe('opsbook check: the words of its verdict', () => {
  it('says how many gates failed of how many', async () => {
    const dir = project(
      '  - { id: a, run: "true" }\n  - { id: b, run: "false" }\n  - { id: c, run: "false", required: false }\n',
    );
    const { result, text } = await runCheck(dir);
    expect(result.ok).toBe(false);
    expect(text).toContain('2 of 3 gates failed (1 optional)');
    expect(text).toContain('required: b');
  });

  it('says a replayed result was replayed, and from when', async () => {
    const dir = project(`  - { id: c, name: Counted, run: "${COUNT}", cache: true }\n`);
    await runCheck(dir);
    const { text } = await runCheck(dir);
    expect(text).toMatch(/Counted \(replayed: passed \d{4}-\d\d-\d\d \d\d:\d\d UTC\)/);
    expect(text).toContain('1 of 1 gate passed, 1 replayed from cache');
  });

  it('does not pass when no gate applies to the environment', async () => {
    const dir = project(
      '  - { id: a, run: "true", environments: [staging] }\nenvironments:\n  production: {}\n  staging: {}\n',
    );
    const { result, text } = await runCheck(dir);
    expect(result.ok).toBe(false);
    expect(text).toContain('no gates apply to production: nothing was checked');
    expect(text).not.toContain('all required gates passed');
  });
});

describe('opsbook deploy --no-cache', () => {
  it('reaches the gates: a cached gate runs again', async () => {
    const dir = project(`  - { id: c, run: "${COUNT}", cache: true }\n`);
    const { config } = await loadConfig({ cwd: dir });
    const { out } = capture();
    const store = await openStore({ cwd: dir, env: {}, redactor: out.redactor });
    try {
      const gates = (noCache: boolean) =>
        gateStep(
          {
            cwd: dir,
            config: config!,
            environment: 'production',
            env: { PATH: process.env.PATH },
            signal: new AbortController().signal,
            redactor: out.redactor,
            actor: 'alice',
            store,
            log: () => {},
          },
          { confirmed: [], noCache },
        )(['c']);
      await gates(false);
      const replayed = await gates(false);
      expect(replayed.summary).toContain('1 replayed from cache');
      const rerun = await gates(true);
      expect(rerun.summary).not.toContain('replayed');
      expect(readFileSync(join(dir, '.runs'), 'utf8').trim().split('\n')).toHaveLength(2);
    } finally {
      await store.close();
    }
  });
});
