import { describe, expect, it } from 'vitest';
import { resolveEnvironment } from '../../config/index.js';
import { stackSchema } from '../../config/schema.js';
import { checkReference, findReferences } from './references.js';

const config = stackSchema.parse({
  name: 'shop',
  services: {
    db: { kind: 'database', platform: 'render' },
    api: { kind: 'web', env: { TOKEN: { secret: true } } },
  },
});
const services = resolveEnvironment(config, 'production');
const check = (text: string) => checkReference(findReferences(text)[0]!, config, 'production', services);

describe('checkReference', () => {
  it('accepts the properties Render sets on a database (what `opsbook init` writes from fromDatabase)', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a platform reference
    expect(check('${{db.connectionString}}')).toBeUndefined();
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a platform reference
    expect(check('${{db.host}}')).toBeUndefined();
  });

  it('still rejects an unknown variable, on a datastore or a service', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a platform reference
    expect(check('${{db.connectionStrin}}')?.hint).toBe('did you mean connectionString?');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a platform reference
    expect(check('${{api.connectionString}}')?.message).toContain('api has no variable connectionString');
  });
});
