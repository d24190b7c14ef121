/** vercel.json: a Vercel project, static unless it has functions or a server-rendering framework. */
import { arr, inDir, isDir, obj, readData, str } from './files.js';
import { nameForDir } from './names.js';
import type { DirContext, Finding } from './types.js';

const SERVER_FRAMEWORKS = new Set([
  'nextjs',
  'remix',
  'sveltekit',
  'sveltekit-1',
  'nuxtjs',
  'solidstart',
  'astro',
]);
const SERVER_DEPENDENCIES = ['next', '@remix-run/node', '@sveltejs/kit', 'nuxt', '@solidjs/start'];

async function hasServerDependency(repo: string, dir: string): Promise<boolean> {
  const parsed = await readData(repo, inDir(dir, 'package.json'), 'json');
  const pkg = obj(parsed?.data);
  const deps = { ...obj(pkg.dependencies), ...obj(pkg.devDependencies) };
  return SERVER_DEPENDENCIES.some((d) => d in deps);
}

export async function detectVercel({ repo, dir }: DirContext): Promise<Finding> {
  const path = inDir(dir, 'vercel.json');
  const parsed = await readData(repo, path, 'json');
  if (!parsed) return {};
  if (parsed.diagnostic) return { diagnostics: [parsed.diagnostic] };
  const config = obj(parsed.data);
  const framework = str(config.framework);
  const server =
    Object.keys(obj(config.functions)).length > 0 ||
    isDir(repo, inDir(dir, 'api')) ||
    (framework !== undefined && SERVER_FRAMEWORKS.has(framework)) ||
    (await hasServerDependency(repo, dir));
  // `vercel link` records the project; without it the provider cannot be named yet.
  const linked = obj((await readData(repo, inDir(dir, '.vercel/project.json'), 'json'))?.data);
  const project = str(linked.projectId);
  const crons = arr(config.crons).length;
  return {
    sources: [path],
    services: [
      {
        name: nameForDir(dir, 'web'),
        kind: server ? 'web' : 'static',
        source: path,
        root: dir,
        platform: 'vercel',
        ...(project
          ? {
              provider: {
                type: 'vercel',
                project,
                ...(str(linked.orgId) ? { team: str(linked.orgId)! } : {}),
              },
            }
          : {}),
        ...(str(config.buildCommand) ? { build: str(config.buildCommand) } : {}),
        dependsOn: [],
        env: [],
      },
    ],
    diagnostics: crons
      ? [
          {
            severity: 'info',
            code: 'init/vercel-crons',
            message: `${path} declares ${crons} Vercel cron job(s); they run as requests to the project and were not added as services`,
            location: { file: path },
          },
        ]
      : [],
  };
}
