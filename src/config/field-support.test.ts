/**
 * Every config field acts, or is refused: walks the schema (as its JSON Schema) and fails for a field whose name
 * no code outside src/config/ reads, unless FIELD_SUPPORT says what reads it or refuses it with a diagnostic.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FIELD_SUPPORT, REFUSED_FIELDS } from './field-support.js';
import { generateJsonSchema } from './json-schema.js';
import { validateConfigText } from './validate.js';

type Schema = Record<string, unknown>;

/** Every field path with its key: `services.*.health[].expect.status`. */
function fieldsOf(schema: Schema, path = '', out = new Map<string, string>()): Map<string, string> {
  for (const variant of [...((schema.anyOf ?? schema.oneOf ?? schema.allOf ?? []) as Schema[])])
    fieldsOf(variant, path, out);
  if (schema.items && typeof schema.items === 'object') fieldsOf(schema.items as Schema, `${path}[]`, out);
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object')
    fieldsOf(schema.additionalProperties as Schema, `${path}.*`, out);
  for (const [key, child] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
    const at = path ? `${path}.${key}` : key;
    out.set(at, key);
    fieldsOf(child, at, out);
  }
  return out;
}

const src = fileURLToPath(new URL('..', import.meta.url));
/** The code that acts on the config: everything but the config module itself (schema, rules) and tests. */
const code = readdirSync(src, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.startsWith('config/'))
  .map((f) => readFileSync(join(src, f), 'utf8'))
  .join('\n');

/** Read as a property (`x.key`, `x?.key`, `x['key']`) or destructured (`{ key }`, `{ key: k }`). */
function isRead(key: string): boolean {
  const k = key.replace(/[$]/g, '\\$&');
  return new RegExp(`\\??\\.${k}\\b|\\[['"]${k}['"]\\]|[{,]\\s*${k}\\s*[,}:=]`).test(code);
}

const paths = fieldsOf(generateJsonSchema());
const rows = FIELD_SUPPORT.map((f) => f.path);
/** A row covers its field and everything under it (a refused section refuses its sub-fields). */
const listed = (path: string) =>
  rows.some((r) => path === r || path.startsWith(`${r}.`) || path.startsWith(`${r}[]`));

describe('every config field acts or is refused', () => {
  it('finds the fields of the schema (the walk itself works)', () => {
    expect(paths.size).toBeGreaterThan(150);
    expect(paths.get('services.*.health[].expect.status')).toBe('status');
    expect(paths.get('incidents.contacts')).toBe('contacts');
  });

  it('has a reader for every field, or a row in FIELD_SUPPORT', () => {
    const unread = [...paths].filter(([path, key]) => !isRead(key) && !listed(path)).map(([path]) => path);
    expect(unread, 'read these in a command, or add them to src/config/field-support.ts').toEqual([]);
  });

  it('lists only fields the schema has', () => {
    for (const row of FIELD_SUPPORT) expect(paths.has(row.path), row.path).toBe(true);
  });

  it.each(REFUSED_FIELDS.map((f) => [f.path, f] as const))(
    'validate says %s is not supported yet',
    (path, field) => {
      const used: Record<string, string> = {
        'incidents.contacts': 'incidents:\n  contacts:\n    ada: { name: Ada }\n',
        'incidents.escalation':
          'incidents:\n  escalation:\n    - { level: 1, after: 15m, notify: [ada] }\n  contacts:\n    ada: { name: Ada }\n',
        'incidents.severities.*.respondWithin':
          'incidents:\n  severities:\n    P1: { name: Critical, respondWithin: 15m }\n',
        'incidents.postmortem': 'incidents:\n  postmortem: { within: 48h }\n',
        repository: 'repository: { url: https://github.com/acme/shop }\n',
        'migrations.testFirst': 'migrations: { database: db, testFirst: true }\n',
        'migrations.backup': 'migrations: { database: db, backup: never }\n',
        'deploy.verify.errorRateAbove': 'deploy:\n  verify: { errorRateAbove: 5% }\n',
        'rollback.criteria[].errorRateAbove':
          'rollback:\n  criteria:\n    - { reason: errors, action: rollback, errorRateAbove: 5% }\n',
        'rollback.criteria[].latencyIncreaseAbove':
          'rollback:\n  criteria:\n    - { reason: slow, action: rollback, latencyIncreaseAbove: 50% }\n',
        'rollback.criteria[].usersAffectedBelow':
          'rollback:\n  criteria:\n    - { reason: few, action: ignore, usersAffectedBelow: 1% }\n',
      };

      const text = `name: s\nservices:\n  api:\n    kind: web\n    urls: { production: https://api.example.com }\n  db: { kind: database }\n${used[path] ?? ''}`;
      const { diagnostics } = validateConfigText(text, 'opsbook.yaml');
      const found = diagnostics.filter((d) => d.code === 'config/not-supported-yet');
      expect(found.length, JSON.stringify(diagnostics)).toBeGreaterThan(0);
      expect(found[0]).toMatchObject({
        severity: 'warning',
        location: { file: 'opsbook.yaml', line: expect.any(Number), column: expect.any(Number) },
      });
      // The reason is in the message, so the user learns why it does nothing and what to use instead.
      expect(found[0]!.message).toContain(`is accepted but not acted on yet: ${field.refused}`);
      expect(found[0]!.hint).toBeTruthy();
    },
  );

  /** A field's node in the JSON Schema, through the same path syntax as the table. */
  function nodeAt(path: string): Schema | undefined {
    let node: Schema | undefined = generateJsonSchema() as Schema;
    const unwrap = (n: Schema | undefined): Schema | undefined =>
      n && !n.properties && (n.anyOf || n.oneOf || n.allOf)
        ? ((n.anyOf ?? n.oneOf ?? n.allOf) as Schema[]).map(unwrap).find((x) => x?.properties)
        : n;
    for (const part of path.split('.')) {
      const key = part.replace(/\[\]$/, '');
      node = unwrap(node);
      node =
        key === '*'
          ? (node?.additionalProperties as Schema)
          : (node?.properties as Record<string, Schema>)?.[key];
      if (part.endsWith('[]')) node = unwrap(node)?.items as Schema | undefined;
    }
    return node;
  }

  // announcements.leadTime is being implemented (issue 11 item 13's sibling); its row goes when it lands.
  it.each(REFUSED_FIELDS.filter((f) => f.path !== 'announcements.leadTime').map((f) => [f.path] as const))(
    'the schema does not promise %s works: no default, and its hover text says it is not acted on yet',
    (path) => {
      const node = nodeAt(path);
      expect(node, path).toBeDefined();
      expect(JSON.stringify(node)).not.toContain('"default"');
      expect(String(node!.description)).toMatch(/^Not acted on yet \(validate warns\)/);
    },
  );
});
