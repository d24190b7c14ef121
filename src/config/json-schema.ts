import { z } from 'zod';
import { stackSchema } from './schema.js';

/** The JSON Schema editors use for completion and hover text; `opsbook.schema.json` is this, kept current by a test. */
export function generateJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(stackSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }),
    $id: 'https://opsbook.dev/opsbook.schema.json',
  };
}
