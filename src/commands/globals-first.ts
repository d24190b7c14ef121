/**
 * Global options written before the command (`opsbook --cwd app status`, `opsbook -c ci.yaml check`), as git and
 * kubectl take them: moved after the command's own arguments (before a `--`), where the command's parser reads them.
 * Only the global options are moved: anything else before the command stays first and is refused as a command.
 */
const VALUED = new Set(['--cwd', '--config', '-c']);
const FLAGS = new Set(['--json', '--plain']);

export function globalsFirst(argv: readonly string[]): string[] {
  const globals: string[] = [];
  let i = 0;
  while (i < argv.length) {
    const arg = argv[i] as string;
    if (FLAGS.has(arg) || arg.startsWith('--cwd=') || arg.startsWith('--config=')) {
      globals.push(arg);
      i += 1;
    } else if (VALUED.has(arg) && i + 1 < argv.length) {
      globals.push(arg, argv[i + 1] as string);
      i += 2;
    } else break;
  }
  // Nothing moved, or nothing left to be the command: as given, so that the error names what was written.
  if (i === 0 || i === argv.length) return [...argv];
  const rest = argv.slice(i);
  const end = rest.indexOf('--');
  return end === -1 ? [...rest, ...globals] : [...rest.slice(0, end), ...globals, ...rest.slice(end)];
}
