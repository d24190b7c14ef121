/** The one module that touches smol-toml (railway.toml, fly.toml). */
import { parse, TomlError } from 'smol-toml';

export type TomlResult =
  | { data: Record<string, unknown>; error?: undefined }
  | { data?: undefined; error: { message: string; line?: number; column?: number } };

export function parseToml(text: string): TomlResult {
  try {
    return { data: parse(text) as Record<string, unknown> };
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
