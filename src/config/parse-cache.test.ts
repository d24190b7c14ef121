import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from './load.js';
import { createParseCache } from './parse-cache.js';

let dir: string;
let cacheHome: string;
const before = process.env.XDG_CACHE_HOME;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'opsbook-parse-cache-'));
  cacheHome = join(dir, 'cache');
  process.env.XDG_CACHE_HOME = cacheHome;
});
afterAll(async () => {
  if (before === undefined) delete process.env.XDG_CACHE_HOME;
  else process.env.XDG_CACHE_HOME = before;
  await rm(dir, { recursive: true, force: true });
});

const entries = async () => readdir(join(cacheHome, 'opsbook', 'config')).catch(() => [] as string[]);

describe('the parsed-config cache', () => {
  it('serves an unchanged clean config without the YAML parser, and misses when the text changes', async () => {
    const cwd = join(dir, 'clean');
    await rm(cwd, { recursive: true, force: true });
    await mkdir(cwd, { recursive: true });
    const yaml = 'name: shop\nservices:\n  api: { kind: web }\n';
    await writeFile(join(cwd, 'opsbook.yaml'), yaml);
    expect((await loadConfig({ cwd })).config?.services.api?.kind).toBe('web');
    const [entry] = await entries();
    expect(entry).toBeDefined();
    // Rewrite the cached data (same key): the next load returning it proves the parser was skipped.
    const at = join(cacheHome, 'opsbook', 'config', entry!);
    const cached = JSON.parse(await readFile(at, 'utf8')) as { key: string; data: { services: object } };
    cached.data.services = { worker: { kind: 'worker' } };
    await writeFile(at, JSON.stringify(cached));
    expect(Object.keys((await loadConfig({ cwd })).config?.services ?? {})).toEqual(['worker']);
    // A changed file is parsed again.
    await writeFile(join(cwd, 'opsbook.yaml'), yaml.replace('api', 'web'));
    expect(Object.keys((await loadConfig({ cwd })).config?.services ?? {})).toEqual(['web']);
  });

  it('never serves a config with diagnostics from the cache: positions need the YAML document', async () => {
    const cwd = join(dir, 'warned');
    await mkdir(cwd, { recursive: true });
    const yaml = 'name: shop\nservices:\n  api: { kind: web, dependsOn: [api] }\n';
    await writeFile(join(cwd, 'opsbook.yaml'), yaml);
    const count = (await entries()).length;
    const first = await loadConfig({ cwd });
    const second = await loadConfig({ cwd });
    expect(first.diagnostics.length).toBeGreaterThan(0);
    expect(second.diagnostics).toEqual(first.diagnostics);
    expect(second.diagnostics[0]?.location).toMatchObject({ line: 3 });
    expect((await entries()).length).toBe(count);
  });

  it('keeps a validated config only for the validator that made it, and only when given one', () => {
    const env = { XDG_CACHE_HOME: join(dir, 'validated') };
    const text = 'name: shop\n';
    const data = { name: 'shop' };
    const config = { name: 'shop', services: {} };
    createParseCache('1.0.0', env, 'build-1').write('/p/opsbook.yaml', text, data, config);
    expect(createParseCache('1.0.0', env, 'build-1').read('/p/opsbook.yaml', text)).toEqual({ data, config });
    // Another build, or a run from source (no validator): the parsed data still serves, the validated config does not.
    expect(createParseCache('1.0.0', env, 'build-2').read('/p/opsbook.yaml', text)).toEqual({ data });
    expect(createParseCache('1.0.0', env).read('/p/opsbook.yaml', text)).toEqual({ data });
    // Without a validator nothing validated is written.
    createParseCache('1.0.0', env).write('/q/opsbook.yaml', text, data, config);
    expect(createParseCache('1.0.0', env, 'build-1').read('/q/opsbook.yaml', text)).toEqual({ data });
  });
});
