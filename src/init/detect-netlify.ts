/** netlify.toml: a Netlify site (static, with functions when it has a functions folder); `netlify link` names it. */
import { inDir, obj, readData, str } from './files.js';
import { nameForDir } from './names.js';
import type { DirContext, Finding } from './types.js';

export async function detectNetlify({ repo, dir }: DirContext): Promise<Finding> {
  const path = inDir(dir, 'netlify.toml');
  const parsed = await readData(repo, path, 'toml');
  if (!parsed) return {};
  if (parsed.diagnostic) return { diagnostics: [parsed.diagnostic] };
  const build = obj(obj(parsed.data).build);
  // `netlify link` records the site id; without it the provider cannot be named yet.
  const state = obj((await readData(repo, inDir(dir, '.netlify/state.json'), 'json'))?.data);
  const site = str(state.siteId);
  const command = str(build.command);
  return {
    sources: [path],
    services: [
      {
        name: nameForDir(dir, 'web'),
        kind: 'static',
        source: path,
        root: dir,
        platform: 'netlify',
        ...(site ? { provider: { type: 'netlify', site } } : {}),
        ...(command ? { build: command } : {}),
        dependsOn: [],
        env: [],
      },
    ],
  };
}
