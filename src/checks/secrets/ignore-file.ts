/** `.gitleaksignore`: one gitleaks fingerprint per line (`file:rule:line`, or `commit:file:rule:line` for history). */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export async function readGitleaksIgnore(dirs: readonly string[]): Promise<Set<string>> {
  const fingerprints = new Set<string>();
  for (const dir of new Set(dirs)) {
    const text = await readFile(join(dir, '.gitleaksignore'), 'utf8').catch(() => '');
    for (const line of text.split(/\r?\n/)) {
      const entry = line.trim();
      if (entry && !entry.startsWith('#')) fingerprints.add(entry);
    }
  }
  return fingerprints;
}
