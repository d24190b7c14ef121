/** alembic.ini: the migration scripts live in `script_location`/versions and run with `alembic upgrade head`. */
import { inDir, readText } from './files.js';
import type { DirContext, Finding } from './types.js';

/** The `script_location` of the [alembic] section, with `%(here)s` (the ini file's directory) removed. */
export function readScriptLocation(ini: string): string | undefined {
  let section = '';
  for (const line of ini.split(/\r?\n/)) {
    const header = /^\s*\[([^\]]+)\]/.exec(line);
    if (header) section = header[1]!.trim();
    const m = section === 'alembic' ? /^\s*script_location\s*[=:]\s*(.+?)\s*$/.exec(line) : null;
    if (m) return m[1]!.replace(/^%\(here\)s\/?/, '').replace(/\/$/, '') || '.';
  }
  return undefined;
}

export async function detectAlembic({ repo, dir }: DirContext): Promise<Finding> {
  const path = inDir(dir, 'alembic.ini');
  const ini = await readText(repo, path);
  if (ini === undefined) return {};
  const location = readScriptLocation(ini) ?? 'alembic';
  // `package:path` names a folder inside a Python package.
  const [pkg, sub] = location.split(':');
  const folder = sub === undefined ? location : `${pkg!.replaceAll('.', '/')}/${sub}`;
  return {
    sources: [path],
    migrations: [
      {
        engine: 'alembic',
        dir: inDir(dir, folder === '.' ? 'versions' : `${folder}/versions`),
        command: dir ? `cd ${dir} && alembic upgrade head` : 'alembic upgrade head',
        root: dir,
        source: path,
      },
    ],
  };
}
