// The command handlers read their flags by name (flagString(input, 'env')): each name must be declared in the command
// table for that command (or globally), with the type it is read as. A typo or a flag read as the wrong type would
// otherwise read as "not given", silently.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli.js';
import { type FlagSpec, GLOBAL_FLAGS } from '../../src/commands/types.js';

const dir = fileURLToPath(new URL('../../src/commands', import.meta.url));

/** What each reader in commands/args.ts expects of the flag it reads. */
const READERS: Record<string, (f: FlagSpec) => boolean> = {
  flagString: (f) => f.type === 'string' && !f.multiple,
  flagBool: (f) => f.type === 'boolean',
  flagList: (f) => f.type === 'string',
};

interface Read {
  file: string;
  reader: string;
  flag: string;
}

/** Every `reader(input, 'name')` call in a file, through the names it imports the readers as. */
function readsIn(file: string, code: string): Read[] {
  const local = new Map<string, string>();
  const imports = /import\s*\{([^}]*)\}\s*from\s*'\.\/args\.js'/.exec(code)?.[1] ?? '';
  for (const part of imports.split(',')) {
    const [name, alias] = part.trim().split(/\s+as\s+/);
    if (name && name in READERS) local.set(alias ?? name, name);
  }
  const reads: Read[] = [];
  for (const [alias, reader] of local)
    for (const m of code.matchAll(new RegExp(`\\b${alias}\\(input, '([\\w-]+)'\\)`, 'g')))
      reads.push({ file, reader, flag: m[1]! });
  for (const m of code.matchAll(/\binput\.values\.(\w+)/g))
    reads.push({ file, reader: 'values', flag: m[1]! });
  return reads;
}

/** The command a file serves: `backup-render.ts` and `backup.ts` serve `backup`; shared helpers serve none. */
const commandOf = (file: string) => COMMANDS.find((c) => c.name === file.replace(/[-.].*$/, ''));

describe('flags read by the command handlers', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  const reads = files.flatMap((f) => readsIn(f, readFileSync(join(dir, f), 'utf8')));

  it('are declared for their command (or globally) with the type they are read as', () => {
    // A scan that found nothing would pass vacuously.
    expect(reads.length).toBeGreaterThan(80);
    const wrong = reads.flatMap(({ file, reader, flag }) => {
      const command = commandOf(file);
      const spec: FlagSpec | undefined =
        (GLOBAL_FLAGS as Record<string, FlagSpec>)[flag] ??
        (command
          ? command.flags[flag]
          : // A helper shared by several commands: declared by at least one.
            COMMANDS.map((c) => c.flags[flag]).find(Boolean));
      if (!spec) return [`${file}: --${flag} is not declared${command ? ` for '${command.name}'` : ''}`];
      const expected = READERS[reader];
      if (expected && !expected(spec))
        return [`${file}: ${reader} reads --${flag}, declared ${JSON.stringify(spec)}`];
      return [];
    });
    expect(wrong).toEqual([]);
  });
});
