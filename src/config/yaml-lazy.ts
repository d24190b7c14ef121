/**
 * The yaml package, loaded on first use. Most commands read an unchanged config from the parse cache and never
 * parse YAML, and loading the parser is ~35 ms of their start-up. `require` keeps the callers synchronous; under
 * Node's "node" condition it is the same module instance an `import from 'yaml'` gets.
 */
import { createRequire } from 'node:module';

type Yaml = typeof import('yaml');
let yaml: Yaml | undefined;

export function yamlModule(): Yaml {
  yaml ??= createRequire(import.meta.url)('yaml') as Yaml;
  return yaml;
}
