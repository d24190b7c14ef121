/** Fixture repositories for the init tests: small file trees in temp dirs, detected and validated like `opsbook init`. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll } from 'vitest';
import type { StackConfig } from '../../../src/config/index.js';
import { validateConfigText } from '../../../src/config/validate.js';
import type { Diagnostic } from '../../../src/diagnostics/index.js';
import { detectRepo } from '../../../src/init/detect.js';
import { formatConfig } from '../../../src/init/format-config.js';
import type { Detection } from '../../../src/init/types.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Writes `files` (path to content; a path ending in / is an empty directory) under a new temp dir. */
export function writeTree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'opsbook-init-'));
  made.push(root);
  for (const [path, content] of Object.entries(files)) {
    if (path.endsWith('/')) mkdirSync(join(root, path), { recursive: true });
    else {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), content);
    }
  }
  return root;
}

export interface InitFixture {
  detection: Detection;
  text: string;
  config: StackConfig;
  /** From validating the generated text: must hold no errors. */
  diagnostics: Diagnostic[];
}

/** Detects a fixture tree and validates the generated config; fails the test when the config has errors. */
export async function initFixture(files: Record<string, string>): Promise<InitFixture> {
  const detection = await detectRepo({ cwd: writeTree(files) });
  const text = formatConfig(detection);
  const { config, diagnostics } = validateConfigText(text, 'opsbook.yaml');
  if (!config)
    throw new Error(`generated config is invalid:\n${JSON.stringify(diagnostics, null, 2)}\n${text}`);
  return { detection, text, config, diagnostics };
}
