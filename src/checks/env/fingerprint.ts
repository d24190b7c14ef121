/**
 * What the env check will look at, as one hash: the values of the contract's keys and where they come from, plus
 * the other environments' env files (the reuse rule reads them). The env gate's cache key includes it, so a changed
 * value (often in a git-ignored file) is checked again. Only the hash leaves this function, never a value.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { StackConfig } from '../../config/index.js';
import { contractFor } from './contract.js';
import { defaultSourceSpec, envFilePath, loadSource } from './sources.js';

export interface EnvFingerprintOptions {
  cwd: string;
  config: StackConfig;
  configFile: string;
  environment: string;
  /** `process` or `file:PATH`; a `provider` source is live and has no fingerprint. */
  from?: string;
  env: NodeJS.ProcessEnv;
}

/** The hash, or undefined when the values are read from the platforms (live state, read only by the check). */
export async function envValuesFingerprint(options: EnvFingerprintOptions): Promise<string | undefined> {
  const envFile = envFilePath(options.config, options.environment, options.cwd, options.configFile);
  const { spec, origin } = defaultSourceSpec(options.from, envFile);
  if (spec.kind === 'provider') return undefined;
  const h = createHash('sha256');
  const source = await loadSource(spec, { cwd: options.cwd, env: options.env, origin });
  h.update(`source\0${spec.kind}\0${source.absolutePath ?? ''}\n`);
  if (source.absolutePath) {
    // The whole file: its syntax problems and every assignment's references are checked, not only the contract's keys.
    h.update(await readFile(source.absolutePath));
  } else {
    for (const key of [
      ...new Set(contractFor(options.config, options.environment).map((e) => e.key)),
    ].sort()) {
      const v = source.values.get(key);
      h.update(`${key}\0${v === undefined ? '\u0001unset' : v.value}\n`);
    }
  }
  for (const other of Object.keys(options.config.environments).sort()) {
    const path = envFilePath(options.config, other, options.cwd, options.configFile);
    if (!path || other === options.environment) continue;
    h.update(`other\0${other}\0${path}\0`);
    h.update(existsSync(path) ? await readFile(path) : '\u0001missing');
    h.update('\n');
  }
  return h.digest('hex');
}
