/**
 * The library face as a user gets it: the packed tarball placed in a scratch project's node_modules, and a script
 * there that imports 'opsbook' and deploys the demo stack. The tarball is unpacked where `npm install` would put it
 * (tests reach no registry); its declared dependencies, and only those, are linked from this repository's
 * node_modules, so a runtime import of an undeclared package fails here as it would for a user.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoStack, repoRoot } from '../support/demo-stack.js';

let scratch = '';
let demo = '';

function installPacked(into: string): void {
  const packDir = join(into, 'pack');
  mkdirSync(packDir);
  execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', packDir], {
    cwd: repoRoot,
    stdio: 'ignore',
  });
  const [tarball] = readdirSync(packDir);
  const target = join(into, 'node_modules', 'opsbook');
  mkdirSync(target, { recursive: true });
  execFileSync('tar', ['xzf', join(packDir, tarball!), '--strip-components=1', '-C', target]);
  const { dependencies } = JSON.parse(readFileSync(join(target, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  for (const name of Object.keys(dependencies)) {
    const link = join(into, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(join(repoRoot, 'node_modules', name), link, 'dir');
  }
}

describe("import('opsbook') from a project that installed the packed package", () => {
  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'opsbook-e2e-library-'));
    writeFileSync(
      join(scratch, 'package.json'),
      '{ "name": "scratch", "private": true, "type": "module" }\n',
    );
    installPacked(scratch);
    // Short bake so the test is quick; the gates are covered elsewhere.
    ({ dir: demo } = await createDemoStack((y) =>
      y.replace(/bake: 10s\n(\s+)interval: 2s/, 'bake: 4s\n$1interval: 1s'),
    ));
  }, 120_000);
  afterAll(async () => {
    if (demo) {
      const { stopLocalRuntime } = await import(
        pathToFileURL(join(repoRoot, 'dist', 'providers', 'index.js')).href
      );
      await stopLocalRuntime(demo).catch(() => undefined);
      rmSync(demo, { recursive: true, force: true });
    }
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }, 30_000);

  it('runs deploy on the demo stack from a script and gets a deployed, verified result', () => {
    writeFileSync(
      join(scratch, 'deploy.mjs'),
      `import { deploy } from 'opsbook';
const result = await deploy({ cwd: process.argv[2], skipGates: true, version: 'v1' });
console.log(JSON.stringify({
  status: result.status,
  phase: result.state?.phase,
  verifiedAt: result.state?.times.verifiedAt,
  verification: result.state?.verification?.outcome,
  api: result.state?.services.api?.deploy?.id,
}));
`,
    );
    const run = spawnSync(process.execPath, ['deploy.mjs', demo], {
      cwd: scratch,
      encoding: 'utf8',
      env: { ...process.env, OPSBOOK_ACTOR: 'script' },
      timeout: 120_000,
    });
    expect(run.status, run.stderr).toBe(0);
    // Nothing printed but the script's own line: the library reports through its result.
    const result = JSON.parse(run.stdout.trim());
    expect(result.status).toBe('succeeded');
    expect(result.phase).toBe('finished');
    expect(result.verification).toBe('successful');
    expect(result.verifiedAt).toEqual(expect.any(String));
    expect(result.api).toEqual(expect.any(String));
  }, 150_000);

  it('exports the other use-cases as functions that load their module and read the config on call', () => {
    const empty = mkdtempSync(join(tmpdir(), 'opsbook-e2e-library-invalid-'));
    writeFileSync(join(empty, 'opsbook.yaml'), 'name: demo\nservices: 3\n');
    writeFileSync(
      join(scratch, 'names.mjs'),
      `import * as opsbook from 'opsbook';
const names = JSON.parse(process.argv[2]);
const out = {};
for (const name of names) {
  if (typeof opsbook[name] !== 'function') { out[name] = typeof opsbook[name]; continue; }
  out[name] = await opsbook[name]({ cwd: process.argv[3], id: 'x' }).then(() => 'resolved', (e) => e.name);
}
console.log(JSON.stringify(out));
`,
    );
    // Each reads the config first: an invalid one throws ConfigError, which also proves the module was packed and loads.
    const names = [
      'slo',
      'maintenanceList',
      'maintenanceDueTasks',
      'maintenanceRun',
      'maintenanceDone',
      'maintenanceWindowList',
      'maintenanceWindowStart',
      'maintenanceWindowEnd',
      'incidentOpen',
      'incidentAck',
      'incidentUpdate',
      'incidentResolve',
      'incidentNote',
      'incidentList',
      'incidentReport',
      'incidentPostmortem',
      'runBackup',
      'listBackups',
      'verifyBackup',
      'pruneBackups',
      'confirmBackup',
      'restoreFromBackup',
      'envCheck',
      'envDiff',
      'envExample',
      'envDocs',
      'doctor',
      'oncallAt',
      'oncallSchedule',
    ];
    try {
      const run = spawnSync(process.execPath, ['names.mjs', JSON.stringify(names), empty], {
        cwd: scratch,
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.status, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout.trim())).toEqual(Object.fromEntries(names.map((n) => [n, 'ConfigError'])));
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
    // These need no config: they are there as functions.
    const loose = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "import * as o from 'opsbook'; console.log([o.silenceAdd, o.silenceList, o.silenceExpire, o.initProject].map((f) => typeof f).join())",
      ],
      { cwd: scratch, encoding: 'utf8' },
    );
    expect(loose.stdout.trim()).toBe('function,function,function,function');
  }, 90_000);
});
