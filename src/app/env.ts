/** The env use-cases: the env contract against real values, the differences between sources, the generated files. */
import { basename } from 'node:path';
import {
  type CheckEnvResult,
  checkEnv,
  type DiffEnvResult,
  diffEnv,
  renderEnvDocs,
  renderEnvExample,
  servicesToDescribe,
} from '../checks/env/index.js';
import { type ConfigOptions, configAndFile, resolveOptions } from './context.js';
import { writeOutputFile } from './output-file.js';

export interface EnvCheckOptions extends ConfigOptions {
  /** Default: production. */
  environment?: string;
  /** `process`, `file:PATH` or `provider`; default: the environment's envFile, else the process environment. */
  from?: string;
}

async function checkOptions(options: EnvCheckOptions) {
  const base = resolveOptions(options);
  const { config, file } = await configAndFile(options, base);
  return {
    ...base,
    config,
    configFile: file ?? 'opsbook.yaml',
    environment: options.environment,
    from: options.from,
  };
}

/** Every contract rule for every service of the environment; values are never returned. */
export async function envCheck(options: EnvCheckOptions): Promise<CheckEnvResult> {
  return checkEnv(await checkOptions(options));
}

/** Missing, extra and (with `against`) changed keys, compared by hash. */
export async function envDiff(options: EnvCheckOptions & { against?: string }): Promise<DiffEnvResult> {
  return diffEnv({ ...(await checkOptions(options)), against: options.against });
}

export interface EnvFileOptions extends ConfigOptions {
  /** Describe the services as this environment sees them (default: as declared). */
  environment?: string;
  service?: string;
  /** Write the text to this file (relative to cwd) instead of returning it only. */
  write?: string;
}

export interface EnvFileResult {
  text: string;
  variables: number;
  /** The file written, when asked to write. */
  file?: string;
}

async function generate(
  options: EnvFileOptions,
  render: typeof renderEnvExample | 'docs',
): Promise<EnvFileResult> {
  const { config, file } = await configAndFile(options, resolveOptions(options));
  const services = servicesToDescribe(config, options.environment, options.service);
  const configName = basename(file ?? 'opsbook.yaml');
  const text =
    render === 'docs' ? renderEnvDocs(services, config.name, configName) : render(services, configName);
  const variables = new Set(services.flatMap((s) => Object.keys(s.env))).size;
  if (!options.write) return { text, variables };
  await writeOutputFile(options.cwd, options.write, text);
  return { text, variables, file: options.write };
}

/** `.env.example` text; with `write`, also the file. */
export const envExample = (options: EnvFileOptions) => generate(options, renderEnvExample);
/** The markdown env table; with `write`, also the file. */
export const envDocs = (options: EnvFileOptions) => generate(options, 'docs');
