// Makes the built CLI executable: tsc does not keep file modes.
import { chmodSync } from 'node:fs';

chmodSync(new URL('../dist/main.js', import.meta.url), 0o755);

// The parser's hinted WASM, then the V8 code caches of dist/vendor/: written last, by the finished CLI.
await import('./parser-hints.mjs');
await import('./code-cache.mjs');
