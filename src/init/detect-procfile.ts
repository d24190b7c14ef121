/** Procfile: `name: command` per process; web serves HTTP, release runs before each deploy, the rest are workers. */
import { inDir, readText } from './files.js';
import { toId } from './names.js';
import type { DetectedService, DirContext, Finding } from './types.js';

const LINE = /^([A-Za-z0-9_-]+)\s*:\s*(.+)$/;

export async function detectProcfile({ repo, dir }: DirContext): Promise<Finding> {
  const path = inDir(dir, 'Procfile');
  const text = await readText(repo, path);
  if (text === undefined) return {};
  const services: DetectedService[] = [];
  const releaseCommands: { command: string; source: string }[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = LINE.exec(line.trim());
    if (!m) continue;
    const [, process, command] = m as unknown as [string, string, string];
    if (process === 'release') {
      releaseCommands.push({ command, source: path });
      continue;
    }
    const prefix = dir ? `${toId(dir.replaceAll('/', '-'))}-` : '';
    services.push({
      name: `${prefix}${toId(process, 'process')}`,
      kind: process === 'web' ? 'web' : 'worker',
      source: path,
      root: dir,
      start: command,
      dependsOn: [],
      env: [],
      fallback: true,
    });
  }
  return { sources: [path], services, releaseCommands };
}
