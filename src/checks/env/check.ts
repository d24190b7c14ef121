/** `env check`: every contract rule of every service in one environment, against one source of values (or each service's platform). */
import { resolveEnvironment, type StackConfig } from '../../config/index.js';
import { type Diagnostic, hasErrors } from '../../diagnostics/index.js';
import type { Redactor } from '../../redact/index.js';
import { type ContractEntry, contractFor, isProductionLike, isRequiredIn, secretKeys } from './contract.js';
import { loadProviderSource, platformName } from './provider-source.js';
import { checkReference, findReferences, hasTemplate } from './references.js';
import { checkReuse } from './reuse.js';
import { secretValuesOf } from './secret-values.js';
import {
  defaultSourceSpec,
  type EnvValue,
  envFilePath,
  type LoadedSource,
  loadSource,
  valuesFor,
} from './sources.js';
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
  /** The process environment, for `--from process`; with `--from provider`, the API tokens and URL overrides. */
  env: NodeJS.ProcessEnv;
  /** Learns every secret value read (and the API tokens), before the caller prints anything. */
  redactor?: Redactor;
  signal?: AbortSignal;
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
  const source =
    spec.kind === 'provider'
      ? await loadProviderSource({ ...options, environment })
      : await loadSource(spec, { cwd: options.cwd, env: options.env, origin });
  const secrets = secretKeys(options.config);
  options.redactor?.add(secretValuesOf(source.values, secrets));
  for (const { values } of source.byService?.values() ?? [])
    options.redactor?.add(secretValuesOf(values, secrets));
  return { environment, contract, source, secrets };
}

function whereSet(source: LoadedSource, service: string): string {
  if (source.source.kind === 'file') return source.source.file;
  const platform = source.byService?.get(service)?.platform;
  return platform ? `${platformName(platform)} for ${service}` : 'the process environment';
}

function checkMissing(entry: ContractEntry, source: LoadedSource, environment: string): Diagnostic[] {
  const values = valuesFor(source, entry.service);
  // A service whose platform was not read has its own diagnostic; absent there means unknown, not missing.
  if (!values) return [];
  const v = values.get(entry.key);
  if ((v && (v.value !== '' || v.unreadable)) || !isRequiredIn(entry.spec, environment)) return [];
  const where = whereSet(source, entry.service);
  return [
    {
      severity: 'error',
      code: 'env/missing',
      message: `${entry.key} (${entry.service}) is required in ${environment} but ${v ? 'empty' : 'not set'}${entry.spec.description ? `: ${entry.spec.description}` : ''}`,
      hint: `set ${entry.key} ${source.byService ? 'on' : 'in'} ${where}, or mark it required: false in the contract`,
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
  if (source.byService) {
    for (const entry of contract) {
      const v = valuesFor(source, entry.service)?.get(entry.key);
      if (v && !v.unreadable) report(v.value, valueLocation(entry, v));
    }
    return out;
  }
  // Every assignment of a file is ours to check; the process environment only where the contract names it.
  const byKey = new Map(contract.map((e) => [e.key, e]));
  for (const [key, v] of source.values) {
    const entry = byKey.get(key);
    if (!v.file && !entry) continue;
    report(v.value, entry ? valueLocation(entry, v) : { file: v.file, line: v.line });
  }
  return out;
}

/** A write-only platform value: present, so not missing, but no value rule can look at it. */
function notReadable(entry: ContractEntry, v: EnvValue, source: LoadedSource): Diagnostic {
  return {
    severity: 'info',
    code: 'env/value-not-readable',
    message: `${entry.key} (${entry.service}) is set on ${whereSet(source, entry.service)} (value not readable: ${v.unreadable}); compared by presence only`,
    hint: 'its value rules (length, format, weak secret, reuse) cannot be checked from the platform; check it where it is generated',
    location: { path: entry.path },
  };
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
    const v = valuesFor(source, entry.service)?.get(entry.key);
    if (v?.unreadable) diagnostics.push(notReadable(entry, v, source));
    else if (v && v.value !== '' && !hasTemplate(v.value)) diagnostics.push(...checkValue(entry, v, ctx));
  }
  diagnostics.push(...checkReferences(options, environment, contract, source));
  diagnostics.push(
    ...(await checkReuse({
      ...options,
      environment,
      contract,
      valueOf: (entry) => valuesFor(source, entry.service)?.get(entry.key),
      sourcePath: source.absolutePath,
      secretKeys: secrets,
      onSecret: (values) => options.redactor?.add(values),
    })),
  );
  // No contract: nothing was compared with anything, which is not "the contract holds" (an env gate went green on it).
  if (!contract.length)
    diagnostics.push({
      severity: 'error',
      code: 'env/empty-contract',
      message: `the env contract of ${environment} is empty: no service declares a variable under env, so nothing was checked`,
      hint: "declare what each service reads under services.<name>.env (e.g. DATABASE_URL: { required: true, secret: true }); 'opsbook init' writes it from .env.example",
      location: { path: 'services' },
    });
  return {
    ok: !hasErrors(diagnostics),
    environment,
    source: source.source,
    services: new Set(contract.map((e) => e.service)).size,
    variables: contract.length,
    diagnostics,
  };
}
