/** The one module that touches smol-toml, so the TOML parser can be swapped. */
import { parse, TomlError } from 'smol-toml';
import { UserError } from '../../errors.js';

export type TomlTable = Record<string, unknown>;

/** Parses TOML or throws a UserError with file:line:col. The message never quotes the source: it may hold secrets. */
export function parseToml(text: string, shownAs: string): TomlTable {
  try {
    return parse(text) as TomlTable;
  } catch (error) {
    if (error instanceof TomlError) {
      const reason = error.message.split('\n')[0] ?? 'invalid TOML';
      throw new UserError(
        `${shownAs}:${error.line}:${error.column}: ${reason}`,
        'fix the TOML syntax at that position',
        'secrets/config',
      );
    }
    throw error;
  }
}
