/** The same secret in two environments, found by SHA-256 hash across the environments' env files; values never compared. */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { StackConfig } from '../../config/index.js';
import type { Diagnostic } from '../../diagnostics/index.js';
import type { ContractEntry } from './contract.js';
import { hasTemplate } from './references.js';
import { type EnvValue, envFilePath, readEnvFile, showPath } from './sources.js';
import { findPlaceholder } from './weak-values.js';

export const hashValue = (value: string): string => createHash('sha256').update(value).digest('hex');

interface ReuseOptions {
  config: StackConfig;
  configFile: string;
  cwd: string;
  environment: string;
  contract: ContractEntry[];
  /** The value a contract entry has in the source (each service's own, for a platform source). */
  valueOf: (entry: ContractEntry) => EnvValue | undefined;
  /** The source's own file, so an environment sharing it is not compared with itself. */
  sourcePath?: string;
  secretKeys: Set<string>;
  /** Told about every value read from the other files, before anything is printed. */
  onSecret: (values: string[]) => void;
}

/** Placeholders and templates repeat by design; the placeholder rule reports them. */
const comparable = (value: string) => value.length > 0 && !hasTemplate(value) && !findPlaceholder(value);

export async function checkReuse(options: ReuseOptions): Promise<Diagnostic[]> {
  const diagnostics: Diagnostic[] = [];
  const seen = new Map<string, { environment: string; key: string; file: string }>();
  for (const other of Object.keys(options.config.environments)) {
    if (other === options.environment) continue;
    const path = envFilePath(options.config, other, options.cwd, options.configFile);
    if (!path || path === options.sourcePath) continue;
    const shown = showPath(options.cwd, path);
    if (!existsSync(path)) {
      diagnostics.push({
        severity: 'info',
        code: 'env/env-file-not-found',
        message: `the envFile of ${other} does not exist, so secrets were not compared with ${other}`,
        hint: `create ${shown} or remove environments.${other}.envFile`,
        location: { file: shown, path: `environments.${other}.envFile` },
      });
      continue;
    }
    const { values } = await readEnvFile(path, shown);
    const secrets = [...values].filter(([key]) => options.secretKeys.has(key));
    options.onSecret(secrets.map(([, v]) => v.value));
    for (const [key, v] of secrets)
      if (comparable(v.value)) seen.set(hashValue(v.value), { environment: other, key, file: shown });
  }
  const reported = new Set<string>();
  for (const entry of options.contract) {
    const v = options.valueOf(entry);
    if (!entry.spec.secret || !v || reported.has(entry.key) || !comparable(v.value)) continue;
    const match = seen.get(hashValue(v.value));
    if (!match) continue;
    reported.add(entry.key);
    diagnostics.push({
      severity: 'error',
      code: 'env/reused-secret',
      message: `${entry.key} (${entry.service}) has the same value as ${match.key} in ${match.environment} (${match.file})`,
      hint: `generate a separate secret for ${options.environment}: a leak in one environment must not open another`,
      location: v.file ? { file: v.file, line: v.line, path: entry.path } : { path: entry.path },
    });
  }
  return diagnostics;
}
