/** TOML: the one module that touches smol-toml (railway.toml and fly.toml for init, gitleaks.toml for the secret scanner). */
import { parse, TomlError } from 'smol-toml';

export type TomlTable = Record<string, unknown>;

/** The parsed table, or where and why the text is not TOML (never quoting it: it may hold secrets). */
export type TomlResult =
  | { data: TomlTable; error?: undefined }
  | { data?: undefined; error: { message: string; line?: number; column?: number } };

export function parseToml(text: string): TomlResult {
  try {
    return { data: parse(text) as TomlTable };
  } catch (error) {
    if (error instanceof TomlError)
      return {
        error: {
          message: error.message.split('\n')[0] ?? 'invalid TOML',
          line: error.line,
          column: error.column,
        },
      };
    return { error: { message: (error as Error).message } };
  }
}
