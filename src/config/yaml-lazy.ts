/**
 * The yaml package, loaded on first use. Most commands read an unchanged config from the parse cache and never
 * parse YAML. `require` keeps the callers synchronous. Built, it loads the one-file copy of the package that the build
 * writes (scripts/bundle.mjs): about 7 ms instead of 22 ms for the package's 60 modules, on every cache miss and
 * every config diagnostic. From source (tsx, vitest) it is the package itself.
 */
import { createRequire } from 'node:module';

type Yaml = typeof import('yaml');
let yaml: Yaml | undefined;

export function yamlModule(): Yaml {
  if (!yaml) {
    const require = createRequire(import.meta.url);
    yaml = (import.meta.url.endsWith('.ts') ? require('yaml') : require('../vendor/yaml.cjs')) as Yaml;
  }
  return yaml;
}
