/**
 * Log lines carry what apps print, secrets included. Beyond the redactor (the env contract's secret values and
 * API tokens), mask the credentials a line gives away by its shape: URL passwords, bearer tokens, key=value.
 */
import { MASK, maskCredentials, type Redactor } from '../redact/index.js';

const BEARER = /\b(bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi;
const KEY_VALUE =
  /\b((?:api[_-]?key|access[_-]?token|auth[_-]?token|token|secret|client[_-]?secret|passwd|pwd)["']?\s*[:=]\s*["']?)([^\s"',;&]{6,})/gi;

export function redactLogLine(text: string, redactor: Redactor): string {
  return maskCredentials(redactor.redact(text)).replace(BEARER, `$1${MASK}`).replace(KEY_VALUE, `$1${MASK}`);
}
