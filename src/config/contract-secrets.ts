/**
 * Every secret a command could meet, registered with the one redactor before anything can print or store it:
 * the env contract's secrets and every secret-looking value of the process environment and the .env files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { type Redactor, secretValuesIn } from '../redact/index.js';
import type { StackConfig } from './schema.js';

/** Every variable the contract marks secret in any service, base or per-environment override. */
export function contractSecretNames(config: StackConfig): Set<string> {
  const names = new Set<string>();
  for (const service of Object.values(config.services)) {
    for (const [name, spec] of Object.entries(service.env)) if (spec.secret) names.add(name);
    for (const override of Object.values(service.overrides ?? {}))
      for (const [name, spec] of Object.entries(override.env ?? {})) if (spec.secret) names.add(name);
  }
  return names;
}

/** `.env`, `.env.production`, … but not the committed examples. */
const ENV_FILE = /^\.env(\..+)?$/;
const EXAMPLE_FILE = /\.(example|sample|template|dist|defaults)$/;

/** The environments' envFiles and every .env file in `dir` (the config's folder). */
function envFiles(config: StackConfig, dir: string): string[] {
  const files = new Set<string>();
  for (const environment of Object.values(config.environments))
    if (environment.envFile) files.add(resolve(dir, environment.envFile));
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    // An unreadable folder has no .env files we could leak either.
  }
  for (const name of names)
    if (ENV_FILE.test(name) && !EXAMPLE_FILE.test(name)) files.add(resolve(dir, name));
  return [...files];
}

/**
 * Registers the contract's secrets and every secret-looking value of `env` and of the .env files in `dir`, once,
 * at start: masking must not depend on which gate ran. The contract names mark a value secret in any source.
 */
export function registerContractSecrets(
  config: StackConfig,
  env: Record<string, string | undefined>,
  redactor: Pick<Redactor, 'add'>,
  options: { dir?: string } = {},
): void {
  const names = contractSecretNames(config);
  redactor.add(secretValuesIn(Object.entries(env), names));
  if (!options.dir) return;
  for (const file of envFiles(config, options.dir)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue; // missing or unreadable: env check reports it where it matters
    }
    redactor.add(secretValuesIn(Object.entries(parseEnv(text)), names));
  }
}
