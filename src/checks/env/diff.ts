/** `env diff`: the contract against what is set, and one source against another, by key and by value hash. */
import type { Diagnostic } from '../../diagnostics/index.js';
import { UserError } from '../../errors.js';
import { type CheckEnvOptions, loadEnvContext } from './check.js';
import { isRequiredIn } from './contract.js';
import { compareKeys, diffServices, type ServiceDiff } from './diff-services.js';
import { secretValuesOf } from './secret-values.js';
import { type LoadedSource, loadSource, parseSourceSpec, valuesFor } from './sources.js';

export type { ServiceDiff } from './diff-services.js';

export interface DiffEnvOptions extends CheckEnvOptions {
  /** A second source (`file:PATH` or `process`) to compare values with. */
  against?: string;
}

export interface DiffEnvResult {
  environment: string;
  source: LoadedSource['source'];
  against?: LoadedSource['source'];
  /** Required here, not set (or empty), and not supplied by a default or a reference. */
  missing: { key: string; services: string[] }[];
  /** Set but in no service's contract; null for the process environment, where most variables are not ours. */
  extra: string[] | null;
  /** With `against`: set in both with different values (compared by SHA-256). */
  changed: string[];
  onlyInSource: string[];
  onlyInAgainst: string[];
  /** `--from provider`: the same lists per service, as each platform holds its own variables (the lists above are their union). */
  services?: ServiceDiff[];
  /** Lines a file could not parse, services whose platform was not read and why. */
  diagnostics: Diagnostic[];
}

/** The keys a side contributes: all of a file's, but only the contract's or the other side's from the process. */
function keysOf(side: LoadedSource, relevant: Set<string>): Set<string> {
  const keys = [...side.values.keys()];
  return new Set(side.source.kind === 'file' ? keys : keys.filter((k) => relevant.has(k)));
}

function compare(a: LoadedSource, b: LoadedSource, contractKeys: Set<string>) {
  const relevant = new Set([
    ...contractKeys,
    ...(a.source.kind === 'file' ? a.values.keys() : []),
    ...(b.source.kind === 'file' ? b.values.keys() : []),
  ]);
  const left = keysOf(a, relevant);
  const right = keysOf(b, relevant);
  return compareKeys(a.values, left, b.values, right);
}

export async function diffEnv(options: DiffEnvOptions): Promise<DiffEnvResult> {
  const againstSpec = options.against ? parseSourceSpec(options.against, '--against') : undefined;
  if (againstSpec?.kind === 'provider')
    throw new UserError(
      '--against provider is not supported: the platform side goes in --from',
      'swap them: opsbook env diff --from provider --against file:PATH',
    );
  const { environment, contract, source, secrets } = await loadEnvContext(options);
  const missing = new Map<string, string[]>();
  for (const e of contract) {
    const values = valuesFor(source, e.service);
    const v = values?.get(e.key);
    if (!values || v?.value || v?.unreadable || !isRequiredIn(e.spec, environment)) continue;
    missing.set(e.key, [...(missing.get(e.key) ?? []), e.service]);
  }
  const other = againstSpec
    ? await loadSource(againstSpec, { cwd: options.cwd, env: options.env })
    : undefined;
  if (other) options.redactor?.add(secretValuesOf(other.values, secrets));
  const contractKeys = new Set(contract.map((e) => e.key));
  const base = {
    environment,
    source: source.source,
    ...(other ? { against: other.source } : {}),
    missing: [...missing]
      .map(([key, services]) => ({ key, services }))
      .sort((a, b) => a.key.localeCompare(b.key)),
    diagnostics: [...source.diagnostics, ...(other?.diagnostics ?? [])],
  };
  if (source.byService) {
    const services = diffServices(source.byService, contract, other);
    const union = (pick: (d: ServiceDiff) => string[]) => [...new Set(services.flatMap(pick))].sort();
    return {
      ...base,
      extra: union((d) => d.extra),
      changed: union((d) => d.changed),
      onlyInSource: union((d) => d.onlyInSource),
      onlyInAgainst: union((d) => d.onlyInAgainst),
      services,
    };
  }
  return {
    ...base,
    extra:
      source.source.kind === 'file'
        ? [...source.values.keys()].filter((k) => !contractKeys.has(k)).sort()
        : null,
    ...(other ? compare(source, other, contractKeys) : { changed: [], onlyInSource: [], onlyInAgainst: [] }),
  };
}
