/** railway.json / railway.toml (Railway config as code): one service's build, start, health check and cron schedule. */
import { inDir, obj, readData, str } from './files.js';
import { isWorkerLike, nameForDir } from './names.js';
import type { DirContext, Finding } from './types.js';

export async function detectRailway({ repo, dir }: DirContext): Promise<Finding> {
  for (const [file, format] of [
    ['railway.json', 'json'],
    ['railway.toml', 'toml'],
  ] as const) {
    const path = inDir(dir, file);
    const parsed = await readData(repo, path, format);
    if (!parsed) continue;
    if (parsed.diagnostic) return { diagnostics: [parsed.diagnostic] };
    const config = obj(parsed.data);
    const build = obj(config.build);
    const deploy = obj(config.deploy);
    const health = str(deploy.healthcheckPath);
    const schedule = str(deploy.cronSchedule);
    const replicas = deploy.numReplicas;
    const start = str(deploy.startCommand);
    const kind = schedule ? 'cron' : !health && start && isWorkerLike(start) ? 'worker' : 'web';
    return {
      sources: [path],
      services: [
        {
          name: nameForDir(dir, 'app'),
          kind,
          source: path,
          root: dir,
          platform: 'railway',
          provider: { type: 'railway' },
          ...(str(build.buildCommand) ? { build: str(build.buildCommand) } : {}),
          ...(start ? { start } : {}),
          ...(schedule ? { schedule } : {}),
          ...(typeof replicas === 'number' && Number.isInteger(replicas) ? { replicas } : {}),
          ...(health?.startsWith('/') ? { health: { type: 'readiness' as const, path: health } } : {}),
          dependsOn: [],
          env: [],
        },
      ],
    };
  }
  return {};
}
