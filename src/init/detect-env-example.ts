/** .env.example: every variable the app reads. Comments above a line describe it; a commented-out assignment is optional. */
import { describeEnvVar } from './env-vars.js';
import { inDir, readText } from './files.js';
import type { DetectedEnvVar, DirContext, Finding } from './types.js';

const FILES = ['.env.example', '.env.sample', '.env.template'];
const RULER = /^[-=#*_\s]+$|^[-=#*]{3,}.*[-=#*]{3,}$/;
const ASSIGNMENT = /^(#\s*)?(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;

function unquote(raw: string): string {
  const value = raw.trim();
  const quote = value[0];
  if ((quote === '"' || quote === "'") && value.indexOf(quote, 1) > 0)
    return value.slice(1, value.indexOf(quote, 1));
  // An unquoted value ends at ` #` (an inline comment).
  return value.replace(/\s+#.*$/, '');
}

export function parseEnvExample(text: string): DetectedEnvVar[] {
  const vars = new Map<string, DetectedEnvVar>();
  let comments: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    const m = ASSIGNMENT.exec(trimmed);
    if (m) {
      const [, commented, name, value] = m;
      const description = comments.join(' ') || undefined;
      comments = [];
      if (vars.has(name!) && commented) continue;
      const input = {
        name: name!,
        value: unquote(value!),
        description,
        required: !commented,
        exampleOnly: Boolean(commented),
      };
      vars.set(name!, describeEnvVar(input));
    } else if (trimmed.startsWith('#')) {
      const text = trimmed.replace(/^#+\s*/, '');
      // Section rulers (### Database ###, -----) head a group rather than describe the next variable.
      if (text && !RULER.test(text)) comments.push(text);
    } else comments = [];
  }
  return [...vars.values()];
}

export async function detectEnvExample({ repo, dir }: DirContext): Promise<Finding> {
  for (const file of FILES) {
    const path = inDir(dir, file);
    const text = await readText(repo, path);
    if (text !== undefined)
      return { sources: [path], envFiles: [{ root: dir, source: path, vars: parseEnvExample(text) }] };
  }
  return {};
}
