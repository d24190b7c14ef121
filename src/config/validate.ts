/**
 * Validation: parsed data -> zod (normalised config) -> cross-field rules, every problem reported at once with its
 * position. Kept apart from load.ts so that a command whose config comes from the cache never loads zod.
 */
import { type Diagnostic, hasErrors } from '../diagnostics/index.js';
import { type Locator, yamlLocator } from './locate.js';
import { parseConfigYaml } from './parse-yaml.js';
import { checkConfigRules } from './rules/index.js';
import { type StackConfig, stackSchema } from './schema.js';
import { issuesToDiagnostics } from './zod-issues.js';

/** Validates already-parsed config data; `locate` maps paths to source positions. */
export function validateConfigData(
  data: unknown,
  locate: Locator,
): { config?: StackConfig; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  // jitless: zod would otherwise generate and compile a parser per object schema on first use, ~20 ms that a
  // process validating one config never earns back (it parses in 15 ms without).
  const parsed = stackSchema.safeParse(data, { reportInput: true, jitless: true });
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
  const { data: _, ...result } = validateYaml(text, file);
  return result;
}

export function validateYaml(
  text: string,
  file: string,
): { config?: StackConfig; diagnostics: Diagnostic[]; data?: unknown } {
  const { data, doc, lines, diagnostics: syntax } = parseConfigYaml(text, file);
  if (hasErrors(syntax) || !doc) return { diagnostics: syntax };
  const result = validateConfigData(data, yamlLocator(doc, lines, file));
  return { ...result, diagnostics: [...syntax, ...result.diagnostics], data };
}
