/** Procfile + app.json: a Heroku app. Its Procfile processes become Heroku services, app.json's env their contract. */
import { describeEnvVar } from './env-vars.js';
import { inDir, obj, readData, readText, str } from './files.js';
import { nameForDir, toId } from './names.js';
import type { DetectedService, DirContext, Finding } from './types.js';

const LINE = /^([A-Za-z0-9_-]+)\s*:\s*(.+)$/;
/** Heroku app names: lowercase letters, digits and dashes, starting with a letter. */
const APP_NAME = /^[a-z][a-z0-9-]{2,29}$/;

export async function detectHeroku({ repo, dir }: DirContext): Promise<Finding> {
  const procfile = await readText(repo, inDir(dir, 'Procfile'));
  const path = inDir(dir, 'app.json');
  const parsed = procfile === undefined ? undefined : await readData(repo, path, 'json');
  if (!parsed) return {};
  if (parsed.diagnostic) return { diagnostics: [parsed.diagnostic] };
  const manifest = obj(parsed.data);
  const appName = str(manifest.name)
    ?.toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-');
  const app = appName && APP_NAME.test(appName) ? appName : undefined;
  const env = Object.entries(obj(manifest.env)).map(([name, raw]) => {
    const spec = typeof raw === 'string' ? { value: raw } : obj(raw);
    return describeEnvVar({
      name,
      value: str(spec.value),
      description: str(spec.description),
      required: spec.required !== false,
      secret: str(spec.generator) === 'secret',
    });
  });
  const base = nameForDir(dir, 'app');
  const services: DetectedService[] = [];
  for (const line of (procfile ?? '').split(/\r?\n/)) {
    const m = LINE.exec(line.trim());
    if (!m || m[1] === 'release') continue;
    const [, process, command] = m as unknown as [string, string, string];
    services.push({
      name: process === 'web' ? base : `${base}-${toId(process, 'process')}`,
      kind: process === 'web' ? 'web' : 'worker',
      source: path,
      root: dir,
      platform: 'heroku',
      ...(app ? { provider: { type: 'heroku', app } } : {}),
      ...(process === 'web' && app ? { url: `https://${app}.herokuapp.com` } : {}),
      start: command,
      dependsOn: [],
      env: process === 'web' ? env : env.map((v) => ({ ...v })),
    });
  }
  return { sources: [path], services };
}
