/** One variable of an env contract from a name and an example value: secret by name or by value, defaults only when safe. */
import { isPlaceholder, isSecretName, looksLikeSecret } from './secret-heuristics.js';
import type { DetectedEnvVar } from './types.js';

export interface EnvVarInput {
  name: string;
  /** The value written in the example file or platform config, if any. */
  value?: string;
  description?: string;
  required?: boolean;
  /** The source says so (render `sync: false`, `generateValue`). */
  secret?: boolean;
  /** The value illustrates rather than configures (a commented-out line): never a default. */
  exampleOnly?: boolean;
}

function isAbsoluteUrl(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/[^\s]+$/i.test(value);
}

/** Drops a description that could carry a value someone pasted into a comment. */
function safeDescription(text: string | undefined): string | undefined {
  if (!text) return undefined;
  return text.split(/\s+/).some((word) => looksLikeSecret(word.replace(/^["'(`]+|["'),.`]+$/g, '')))
    ? undefined
    : text;
}

export function describeEnvVar(input: EnvVarInput): DetectedEnvVar {
  const value = input.value?.trim() || undefined;
  const secret =
    input.secret === true || isSecretName(input.name) || (value !== undefined && looksLikeSecret(value));
  const spec: DetectedEnvVar = { name: input.name, secret, required: input.required ?? true };
  const description = safeDescription(input.description);
  if (description) spec.description = description;
  if (/_(URL|URI)$/i.test(input.name) && value && isAbsoluteUrl(value)) spec.url = true;
  if (/^PORT$|_PORT$/i.test(input.name) && (!value || /^\d{1,5}$/.test(value))) spec.format = 'port';
  if (!secret && value !== undefined) {
    if (input.exampleOnly || isPlaceholder(value)) spec.example = value;
    else spec.default = value;
  }
  return spec;
}
