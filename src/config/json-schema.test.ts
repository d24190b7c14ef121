import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { schemaText } from '../commands/schema.js';

describe('opsbook.schema.json', () => {
  it('is current with the zod schema (regenerate with `opsbook schema --write opsbook.schema.json`)', () => {
    const committed = readFileSync(new URL('../../opsbook.schema.json', import.meta.url), 'utf8');
    expect(committed).toBe(schemaText());
  });

  it('carries descriptions for editor hover text', () => {
    const schema = JSON.parse(schemaText());
    expect(schema.properties.services.description).toBeTruthy();
    expect(JSON.stringify(schema)).toContain('Deploy order');
    // A severity's `page` sets the urgency; the hover text promised "else notify only" while steps paged anyway.
    expect(JSON.stringify(schema)).toContain('Escalation steps run either way');
  });
});
