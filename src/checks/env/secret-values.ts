/** Which read values the redactor must know: contract secrets, secret-looking names and shapes, URL passwords. */
import { secretValuesIn } from '../../redact/index.js';
import type { EnvValue } from './sources.js';

export function secretValuesOf(values: Map<string, EnvValue>, secretKeys: Set<string>): string[] {
  return secretValuesIn(
    [...values].map(([key, { value }]) => [key, value] as const),
    secretKeys,
  );
}
