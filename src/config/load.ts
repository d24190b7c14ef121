/** Loading is parse -> validate and normalize (zod) -> cross-field rules; every problem is reported at once. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineCounter, parseDocument } from 'yaml';
import { type Diagnostic, hasErrors } from '../diagnostics/index.js';
import { UserError } from '../errors.js';
import { type Locator, pathOnlyLocator, yamlLocator } from './locate.js';
import { checkConfigRules } from './rules/index.js';
import { type StackConfig, stackSchema } from './schema.js';
import { issuesToDiagnostics } from './zod-issues.js';

export const CONFIG_FILES = [
  'opsbook.yaml',
  'opsbook.yml',
  'opsbook.config.ts',
  'opsbook.config.mts',
  'opsbook.config.js',
  'opsbook.config.mjs',
];

export interface LoadConfigOptions {
  cwd: string;
  /** A config file; relative to cwd. Default: the first of CONFIG_FILES found in cwd. */
  file?: string;
}

export interface LoadConfigResult {
  /** Present when there are no errors. */
  config?: StackConfig;
  diagnostics: Diagnostic[];
  /** Path of the file, relative to cwd when inside it (as shown in diagnostics). */
  file: string;
}

export function findConfigFile(cwd: string): string | undefined {
  return CONFIG_FILES.map((f) => join(cwd, f)).find((f) => existsSync(f));
}

/** Validates already-parsed config data; `locate` maps paths to source positions. */
export function validateConfigData(
  data: unknown,
  locate: Locator,
): { config?: StackConfig; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const parsed = stackSchema.safeParse(data, { reportInput: true });
  if (!parsed.success)
    diagnostics.push(...issuesToDiagnostics(parsed.error.issues, stackSchema, locate, data));
  for (const { path, key, ...d } of checkConfigRules(data))
    diagnostics.push({ ...d, location: locate(path, { key }) });
  return { config: parsed.success && !hasErrors(diagnostics) ? parsed.data : undefined, diagnostics };
}

/** Parses and validates YAML text. */
export function validateConfigText(
  text: string,
  file: string,
): { config?: StackConfig; diagnostics: Diagnostic[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const syntax: Diagnostic[] = [...doc.errors, ...doc.warnings].map((e) => {
    const pos = lines.linePos(e.pos[0]);
    return {
      severity: e.name === 'YAMLWarning' ? 'warning' : 'error',
      code: e.code === 'DUPLICATE_KEY' ? 'config/duplicate-key' : 'config/yaml-syntax',
      message: e.message.split('\n')[0] ?? e.message,
      hint:
        e.code === 'DUPLICATE_KEY'
          ? 'a key may appear once per mapping: merge the two'
          : 'fix the YAML syntax at this position',
      location: { file, line: pos.line, column: pos.col },
    };
  });
  if (hasErrors(syntax)) return { diagnostics: syntax };
  const data = doc.toJS() ?? {};
  const result = validateConfigData(data, yamlLocator(doc, lines, file));
  return { ...result, diagnostics: [...syntax, ...result.diagnostics] };
}

async function importTsConfig(path: string): Promise<unknown> {
  const { createJiti } = await import('jiti');
  // `import { defineConfig } from 'opsbook'` resolves to this very package, even outside a project that installed it.
  const self = fileURLToPath(new URL('../index.js', import.meta.url));
  const jiti = createJiti(import.meta.url, {
    alias: { opsbook: existsSync(self) ? self : self.replace(/\.js$/, '.ts') },
  });
  return jiti.import(path, { default: true });
}

export async function loadConfig(options: LoadConfigOptions): Promise<LoadConfigResult> {
  const path = options.file ? resolve(options.cwd, options.file) : findConfigFile(options.cwd);
  if (!path)
    throw new UserError(
      `no opsbook config in ${options.cwd}`,
      "run 'opsbook init' to create one, or pass --config FILE",
      'config/not-found',
    );
  const shown =
    relative(options.cwd, path).startsWith('..') || isAbsolute(relative(options.cwd, path))
      ? path
      : relative(options.cwd, path);
  if (!existsSync(path))
    throw new UserError(`config file not found: ${shown}`, 'check the path', 'config/not-found');
  if (/\.(m?ts|m?js)$/.test(path)) {
    let data: unknown;
    try {
      data = await importTsConfig(path);
    } catch (error) {
      return {
        file: shown,
        diagnostics: [
          {
            severity: 'error',
            code: 'config/ts-load-failed',
            message: `could not load ${shown}: ${(error as Error).message.split('\n')[0]}`,
            hint: 'the file must `export default defineConfig({...})`',
            location: { file: shown },
          },
        ],
      };
    }
    return { file: shown, ...validateConfigData(data, pathOnlyLocator(shown)) };
  }
  return { file: shown, ...validateConfigText(await readFile(path, 'utf8'), shown) };
}
