/** Writing a file the user named (--markdown, --write): a bad path is their mistake to fix, not a crash. */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UserError } from '../errors.js';

const WHY: Record<string, string> = {
  ENOENT: 'its folder does not exist',
  ENOTDIR: 'its folder does not exist',
  EISDIR: 'it is a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
};

/** Writes `text` to `target` (relative to cwd) and returns the absolute path. */
export async function writeOutputFile(cwd: string, target: string, text: string): Promise<string> {
  const path = resolve(cwd, target);
  try {
    await writeFile(path, text);
  } catch (error) {
    const why = WHY[(error as NodeJS.ErrnoException).code ?? ''];
    if (!why) throw error;
    throw new UserError(
      `cannot write ${target}: ${why}`,
      'give a path in an existing folder you can write to',
    );
  }
  return path;
}
