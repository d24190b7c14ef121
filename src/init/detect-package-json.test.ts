import { describe, expect, it } from 'vitest';
import { initFixture, writeTree } from '../../test/support/init/fixture.js';
import { detectRepo } from './detect.js';

describe('init with package.json', () => {
  it('turns typecheck, lint, test and build scripts into command gates with the package manager in use', async () => {
    const { config } = await initFixture({
      'package.json': JSON.stringify({
        name: '@acme/shop',
        scripts: {
          'type-check': 'tsc --noEmit',
          lint: 'biome check',
          test: 'vitest run',
          build: 'tsc',
          dev: 'vite',
        },
      }),
      'pnpm-lock.yaml': 'lockfileVersion: 9\n',
    });
    expect(config.name).toBe('shop');
    expect(config.gates.map((g) => [g.id, g.run ?? g.builtin])).toEqual([
      ['git', 'git'],
      ['secrets', 'secrets'],
      ['lockfile', 'lockfile'],
      ['typecheck', 'pnpm run type-check'],
      ['lint', 'pnpm run lint'],
      ['test', 'pnpm run test'],
      ['build', 'pnpm run build'],
    ]);
  });

  it('skips the failing test script npm init writes', async () => {
    const { config } = await initFixture({
      'package.json': JSON.stringify({ scripts: { test: 'echo "Error: no test specified" && exit 1' } }),
    });
    expect(config.gates.map((g) => g.id)).not.toContain('test');
  });

  it('looks one level down: backend/, frontend/ and apps/*, each gate running in its folder', async () => {
    const { config } = await initFixture({
      'backend/package.json': JSON.stringify({ scripts: { test: 'jest', start: 'node server.js' } }),
      'frontend/package.json': JSON.stringify({ scripts: { lint: 'eslint .' } }),
      'apps/admin/package.json': JSON.stringify({ scripts: { build: 'vite build' } }),
      'apps/admin/yarn.lock': '',
    });
    expect(config.gates.filter((g) => g.run).map((g) => [g.id, g.run, g.cwd])).toEqual([
      ['backend-test', 'npm run test', 'backend'],
      ['frontend-lint', 'npm run lint', 'frontend'],
      ['apps-admin-build', 'yarn run build', 'apps/admin'],
    ]);
    expect(config.services.backend).toMatchObject({ kind: 'web', root: 'backend', start: 'npm start' });
  });

  it('takes the stack name from --name over package.json', async () => {
    const cwd = writeTree({ 'package.json': JSON.stringify({ name: 'from-package' }) });
    expect((await detectRepo({ cwd, name: 'my stack' })).name).toBe('my-stack');
  });

  it('warns about an unreadable package.json with its position and carries on', async () => {
    const { detection } = await initFixture({
      'package.json': '{\n  "scripts": {\n    "test": "vitest",\n  }\n}\n',
    });
    expect(detection.diagnostics).toContainEqual(
      expect.objectContaining({
        code: 'init/unreadable-file',
        location: expect.objectContaining({ file: 'package.json', line: 4 }),
      }),
    );
  });
});
