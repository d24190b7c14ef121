/** `env diff`: the contract against what is set, and one source against another, by key and by value hash. */

import { type CheckEnvOptions, loadEnvContext } from './check.js';
import { isRequiredIn } from './contract.js';
import { hashValue } from './reuse.js';
import { secretValuesOf } from './secret-values.js';
import { type EnvValue, type LoadedSource, loadSource, parseSourceSpec } from './sources.js';

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
  const hash = (v: EnvValue | undefined) => (v ? hashValue(v.value) : '');
  return {
    changed: [...left].filter((k) => right.has(k) && hash(a.values.get(k)) !== hash(b.values.get(k))).sort(),
    onlyInSource: [...left].filter((k) => !right.has(k)).sort(),
    onlyInAgainst: [...right].filter((k) => !left.has(k)).sort(),
  };
}

export async function diffEnv(options: DiffEnvOptions): Promise<DiffEnvResult> {
  const { environment, contract, source, secrets } = await loadEnvContext(options);
  const contractKeys = new Set(contract.map((e) => e.key));
  const missing = new Map<string, string[]>();
  for (const e of contract) {
    if (source.values.get(e.key)?.value || !isRequiredIn(e.spec, environment)) continue;
    missing.set(e.key, [...(missing.get(e.key) ?? []), e.service]);
  }
  const result: DiffEnvResult = {
    environment,
    source: source.source,
    missing: [...missing]
      .map(([key, services]) => ({ key, services }))
      .sort((a, b) => a.key.localeCompare(b.key)),
    extra:
      source.source.kind === 'file'
        ? [...source.values.keys()].filter((k) => !contractKeys.has(k)).sort()
        : null,
    changed: [],
    onlyInSource: [],
    onlyInAgainst: [],
  };
  if (!options.against) return result;
  const other = await loadSource(parseSourceSpec(options.against, '--against'), {
    cwd: options.cwd,
    env: options.env,
  });
  options.redactor?.add(secretValuesOf(other.values, secrets));
  return { ...result, against: other.source, ...compare(source, other, contractKeys) };
}
