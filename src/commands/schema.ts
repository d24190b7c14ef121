import { writeOutputFile } from '../app/output-file.js';
import { generateJsonSchema } from '../config/json-schema.js';
import type { SCHEMA_ARGS } from './specs-release.js';
import type { CommandHandler } from './types.js';

export function schemaText(): string {
  return `${JSON.stringify(generateJsonSchema(), null, 2)}\n`;
}

export const run: CommandHandler<typeof SCHEMA_ARGS> = async (input) => {
  const target = input.values.write;
  if (target) {
    const path = await writeOutputFile(input.cwd, target, schemaText());
    return { ok: true, data: { written: path }, print: (out) => out.success(`wrote ${target}`) };
  }
  const schema = generateJsonSchema();
  return { ok: true, data: schema, print: (out) => out.line(JSON.stringify(schema, null, 2)) };
};
