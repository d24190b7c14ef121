/** Reading repository files for the detectors: a missing file is undefined, a malformed one a warning, never a throw. */
import { readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import type { Diagnostic } from '../diagnostics/index.js';
import { parseToml } from '../toml/index.js';

export type Raw = Record<string, unknown>;

export const isObj = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
export const obj = (v: unknown): Raw => (isObj(v) ? v : {});
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() ? v.trim() : undefined;

/** The path of `file` in directory `dir` of the repository, as shown to the user ('' is the root). */
export const inDir = (dir: string, file: string): string => (dir ? `${dir}/${file}` : file);

export async function readText(repo: string, path: string): Promise<string | undefined> {
  try {
    return await readFile(join(repo, path), 'utf8');
  } catch {
    return undefined;
  }
}

export function isDir(repo: string, path: string): boolean {
  try {
    return statSync(join(repo, path)).isDirectory();
  } catch {
    return false;
  }
}

export function isFile(repo: string, path: string): boolean {
  try {
    return statSync(join(repo, path)).isFile();
  } catch {
    return false;
  }
}

export function listDir(repo: string, path: string): string[] {
  try {
    return readdirSync(join(repo, path)).sort();
  } catch {
    return [];
  }
}

export function unreadable(file: string, reason: string, line?: number, column?: number): Diagnostic {
  return {
    severity: 'warning',
    code: 'init/unreadable-file',
    message: `${file} could not be read: ${reason}; it was skipped`,
    hint: `fix ${file}, then run 'opsbook init --force' again`,
    location: { file, line, column },
  };
}

type Parsed = { data: unknown; diagnostic?: undefined } | { data?: undefined; diagnostic: Diagnostic };

export function parseJson(text: string, file: string): Parsed {
  try {
    return { data: JSON.parse(text) };
  } catch (error) {
    const message = (error as Error).message;
    const offset = Number(/position (\d+)/.exec(message)?.[1] ?? Number.NaN);
    const before = Number.isNaN(offset) ? undefined : text.slice(0, offset).split('\n');
    return {
      diagnostic: unreadable(
        file,
        'invalid JSON',
        before?.length,
        before ? before.at(-1)!.length + 1 : undefined,
      ),
    };
  }
}

export function parseYaml(text: string, file: string): Parsed {
  const doc = parseDocument(text, { prettyErrors: true });
  const error = doc.errors[0];
  if (error) {
    const reason = error.message.split('\n')[0] ?? 'invalid YAML';
    return { diagnostic: unreadable(file, reason, error.linePos?.[0].line, error.linePos?.[0].col) };
  }
  return { data: doc.toJS() };
}

export function parseTomlFile(text: string, file: string): Parsed {
  const result = parseToml(text);
  if (result.error)
    return { diagnostic: unreadable(file, result.error.message, result.error.line, result.error.column) };
  return { data: result.data };
}

/** Reads and parses a JSON, YAML or TOML file; `undefined` when it does not exist. */
export async function readData(
  repo: string,
  path: string,
  format: 'json' | 'yaml' | 'toml',
): Promise<Parsed | undefined> {
  const text = await readText(repo, path);
  if (text === undefined) return undefined;
  if (format === 'json') return parseJson(text, path);
  return format === 'yaml' ? parseYaml(text, path) : parseTomlFile(text, path);
}
