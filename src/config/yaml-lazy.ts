/**
 * The yaml package, loaded on first use. Most commands read an unchanged config from the parse cache and never
 * parse YAML. Loading synchronously keeps the callers synchronous. Built, it is the one-file copy the build writes,
 * with its V8 code cache (src/vendor/): about 3 ms to load instead of 22 ms for the package's 60 modules, and a first
 * parse of a config about twice as fast. From source (tsx, vitest) it is the package itself.
 */
import { createRequire } from 'node:module';
import { requireVendored } from '../vendor/index.js';

type Yaml = typeof import('yaml');
let yaml: Yaml | undefined;

export function yamlModule(): Yaml {
  yaml ??= import.meta.url.endsWith('.ts')
    ? (createRequire(import.meta.url)('yaml') as Yaml)
    : requireVendored<Yaml>('yaml');
  return yaml;
}
