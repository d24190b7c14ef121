/** fly.toml: a Fly app, its HTTP checks, its process groups, `[env]` values and the release command. */

import { describeEnvVar } from './env-vars.js';
import { arr, inDir, obj, type Raw, readData, str } from './files.js';
import { nameForDir, toId } from './names.js';
import type { DetectedEnvVar, DetectedService, DirContext, Finding } from './types.js';

/** The first HTTP check path: `[[http_service.checks]]`, `[[services.http_checks]]` or a top-level `[checks.x]`. */
function checkPath(config: Raw): string | undefined {
  const checks = [
    ...arr(obj(config.http_service).checks),
    ...arr(config.services).flatMap((s) => arr(obj(s).http_checks)),
    ...Object.values(obj(config.checks)).filter((c) => str(obj(c).type) === 'http'),
  ];
  return checks.map((c) => str(obj(c).path)).find((p) => p?.startsWith('/'));
}

export async function detectFly({ repo, dir }: DirContext): Promise<Finding> {
  const path = inDir(dir, 'fly.toml');
  const parsed = await readData(repo, path, 'toml');
  if (!parsed) return {};
  if (parsed.diagnostic) return { diagnostics: [parsed.diagnostic] };
  const config = obj(parsed.data);
  const app = str(config.app);
  const name = app ? toId(app) : nameForDir(dir, 'app');
  const http = config.http_service !== undefined || arr(config.services).length > 0;
  const health = checkPath(config);
  const env: DetectedEnvVar[] = Object.entries(obj(config.env)).map(([key, value]) =>
    describeEnvVar({ name: key, value: String(value) }),
  );
  const provider = app ? { type: 'fly', app } : undefined;
  const base = {
    source: path,
    root: dir,
    platform: 'fly' as const,
    ...(provider ? { provider } : {}),
    dependsOn: [],
  };
  const main: DetectedService = {
    ...base,
    name,
    kind: http ? 'web' : 'worker',
    ...(http && app ? { url: `https://${app}.fly.dev` } : {}),
    ...(health ? { health: { type: 'liveness' as const, path: health } } : {}),
    env,
  };
  // Process groups beyond the one serving HTTP run the same image with another command.
  const groups = Object.entries(obj(config.processes)).filter(([group]) => !['app', 'web'].includes(group));
  const extra: DetectedService[] = groups.map(([group, command]) => ({
    ...base,
    name: `${name}-${toId(group, 'process')}`,
    kind: 'worker',
    ...(str(command) ? { start: str(command) } : {}),
    env: env.map((v) => ({ ...v })),
  }));
  const release = str(obj(config.deploy).release_command);
  return {
    sources: [path],
    services: [main, ...extra],
    ...(release ? { releaseCommands: [{ command: release, source: path }] } : {}),
  };
}
