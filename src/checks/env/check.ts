/** `env check`: every contract rule of every service in one environment, against one source of values. */
import { resolveEnvironment, type StackConfig } from '../../config/index.js';
import { type Diagnostic, hasErrors } from '../../diagnostics/index.js';
import type { Redactor } from '../../output/index.js';
import { type ContractEntry, contractFor, isProductionLike, isRequiredIn, secretKeys } from './contract.js';
import { checkReference, findReferences, hasTemplate } from './references.js';
import { checkReuse } from './reuse.js';
import { secretValuesOf } from './secret-values.js';
import { defaultSourceSpec, envFilePath, type LoadedSource, loadSource } from './sources.js';
import { checkValue, valueLocation } from './value-rules.js';

export interface CheckEnvOptions {
  cwd: string;
  config: StackConfig;
  /** The config file as loaded (relative to cwd): envFile paths are relative to its folder. */
  configFile: string;
  /** Default: production. */
  environment?: string;
  /** `process`, `file:PATH` or `provider`; default: the environment's envFile, else the process environment. */
  from?: string;
  /** The process environment, for `--from process`. */
  env: NodeJS.ProcessEnv;
  /** Learns every secret value read, before the caller prints anything. */
  redactor?: Pick<Redactor, 'add'>;
}

export interface CheckEnvResult {
  ok: boolean;
  environment: string;
  source: LoadedSource['source'];
  services: number;
  variables: number;
  diagnostics: Diagnostic[];
}

/** The contract, the source (its secrets registered at once) and the secret keys: shared by check and diff. */
export async function loadEnvContext(options: CheckEnvOptions) {
  const environment = options.environment ?? 'production';
  const contract = contractFor(options.config, environment);
  const envFile = envFilePath(options.config, environment, options.cwd, options.configFile);
  const { spec, origin } = defaultSourceSpec(options.from, envFile);
  const source = await loadSource(spec, { cwd: options.cwd, env: options.env, origin });
  const secrets = secretKeys(options.config);
  options.redactor?.add(secretValuesOf(source.values, secrets));
  return { environment, contract, source, secrets };
}

function checkMissing(entry: ContractEntry, source: LoadedSource, environment: string): Diagnostic[] {
  const v = source.values.get(entry.key);
  if ((v && v.value !== '') || !isRequiredIn(entry.spec, environment)) return [];
  const where = source.source.kind === 'file' ? source.source.file : 'the process environment';
  return [
    {
      severity: 'error',
      code: 'env/missing',
      message: `${entry.key} (${entry.service}) is required in ${environment} but ${v ? 'empty' : 'not set'}${entry.spec.description ? `: ${entry.spec.description}` : ''}`,
      hint: `set ${entry.key} in ${where}, or mark it required: false in the contract`,
      location: v ? valueLocation(entry, v) : { path: entry.path },
    },
  ];
}

function checkReferences(
  options: CheckEnvOptions,
  environment: string,
  contract: ContractEntry[],
  source: LoadedSource,
): Diagnostic[] {
  const services = resolveEnvironment(options.config, environment);
  const out: Diagnostic[] = [];
  const report = (text: string, location: Diagnostic['location']) => {
    for (const ref of findReferences(text)) {
      const problem = checkReference(ref, options.config, environment, services);
      if (problem) out.push({ severity: 'error', code: 'env/unresolved-reference', ...problem, location });
    }
  };
  for (const entry of contract) if (entry.spec.from) report(entry.spec.from, { path: entry.path });
  // Every assignment of a file is ours to check; the process environment only where the contract names it.
  const byKey = new Map(contract.map((e) => [e.key, e]));
  for (const [key, v] of source.values) {
    const entry = byKey.get(key);
    if (!v.file && !entry) continue;
    report(v.value, entry ? valueLocation(entry, v) : { file: v.file, line: v.line });
  }
  return out;
}

export async function checkEnv(options: CheckEnvOptions): Promise<CheckEnvResult> {
  const { environment, contract, source, secrets } = await loadEnvContext(options);
  const ctx = {
    environment,
    productionLike: isProductionLike(options.config, environment),
    words: [options.config.name, environment, ...Object.keys(options.config.services)],
  };
  const diagnostics: Diagnostic[] = [...source.diagnostics];
  for (const entry of contract) {
    diagnostics.push(...checkMissing(entry, source, environment));
    const v = source.values.get(entry.key);
    if (v && v.value !== '' && !hasTemplate(v.value)) diagnostics.push(...checkValue(entry, v, ctx));
  }
  diagnostics.push(...checkReferences(options, environment, contract, source));
  diagnostics.push(
    ...(await checkReuse({
      ...options,
      environment,
      contract,
      values: source.values,
      sourcePath: source.absolutePath,
      secretKeys: secrets,
      onSecret: (values) => options.redactor?.add(values),
    })),
  );
  return {
    ok: !hasErrors(diagnostics),
    environment,
    source: source.source,
    services: new Set(contract.map((e) => e.service)).size,
    variables: contract.length,
    diagnostics,
  };
}
